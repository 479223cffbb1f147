import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { DisplayMessage } from './display-messages';
import { DisplayMessagesRepository } from './display-messages.repository';
import type { StationDisplayMessageRow } from './display-messages.tables';

/** The display messages Kilowatt knows of each OCPP 2.0.1 station: set by it, or reported. */
@Injectable()
export class DisplayMessageRecordsService {
  constructor(
    private readonly repository: DisplayMessagesRepository,
    private readonly clock: Clock,
  ) {}

  list(tenantId: string, stationId: string): Promise<StationDisplayMessageRow[]> {
    return this.repository.listByStation(tenantId, stationId);
  }

  find(
    tenantId: string,
    stationId: string,
    messageId: number,
  ): Promise<StationDisplayMessageRow | undefined> {
    return this.repository.findByMessageId(tenantId, stationId, messageId);
  }

  nextMessageId(tenantId: string, stationId: string): Promise<number> {
    return this.repository.nextMessageId(tenantId, stationId);
  }

  recordSet(
    tenantId: string,
    stationId: string,
    message: DisplayMessage,
    status: string,
  ): Promise<StationDisplayMessageRow | undefined> {
    return this.repository.recordSet(tenantId, stationId, message, status, this.clock.now());
  }

  remove(tenantId: string, stationId: string, messageId: number): Promise<void> {
    return this.repository.remove(tenantId, stationId, messageId);
  }

  /** Before GetDisplayMessages is sent, so a report that overtakes the reply finds it. */
  startRefresh(tenantId: string, stationId: string, requestId: number): Promise<void> {
    return this.repository.startRefresh(tenantId, stationId, requestId, this.clock.now());
  }

  /** The station has no message at all (GetDisplayMessages answered Unknown). */
  onNoneReported(tenantId: string, stationId: string, requestId: number): Promise<void> {
    return this.repository.recordReported(tenantId, stationId, requestId, [], true, this.clock.now());
  }

  /** A NotifyDisplayMessages part; `last` when it is the report's last (no `tbc`). Resolves once committed. */
  onReported(
    tenantId: string,
    stationId: string,
    requestId: number,
    messages: readonly DisplayMessage[],
    last: boolean,
  ): Promise<void> {
    return this.repository.recordReported(tenantId, stationId, requestId, messages, last, this.clock.now());
  }
}
