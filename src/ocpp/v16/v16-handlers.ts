import { Injectable } from '@nestjs/common';
import { MaintenanceStatusService } from '../../commands/maintenance-status.service';
import { AppConfig } from '../../config/app-config';
import { SessionsService } from '../../sessions/sessions.service';
import { ChargerStateService } from '../../stations/charger-state.service';
import type { AnyHandler } from '../gateway/handler';
import { RequestedBoots } from '../gateway/requested-boots';
import { authorize } from './authorize.handler';
import { bootNotification } from './boot-notification.handler';
import { dataTransfer } from './data-transfer.handler';
import { diagnosticsStatusNotification } from './diagnostics-status-notification.handler';
import { firmwareStatusNotification } from './firmware-status-notification.handler';
import { heartbeat } from './heartbeat.handler';
import { meterValues } from './meter-values.handler';
import { startTransaction } from './start-transaction.handler';
import { stopTransaction } from './stop-transaction.handler';
import { statusNotification } from './status-notification.handler';

/**
 * Every OCPP 1.6 action this central system answers, built from the domain services. An action
 * missing here is answered NotImplemented by the gateway — adding one is one line.
 */
@Injectable()
export class V16Handlers {
  constructor(
    private readonly config: AppConfig,
    private readonly chargerState: ChargerStateService,
    private readonly sessions: SessionsService,
    private readonly maintenance: MaintenanceStatusService,
    private readonly requestedBoots: RequestedBoots,
  ) {}

  build(): Record<string, AnyHandler> {
    return {
      BootNotification: bootNotification(
        this.chargerState,
        this.config.ocpp.heartbeatIntervalSeconds,
        this.sessions,
        this.requestedBoots,
      ),
      Heartbeat: heartbeat(),
      StatusNotification: statusNotification(this.chargerState),
      DataTransfer: dataTransfer(),
      DiagnosticsStatusNotification: diagnosticsStatusNotification(this.chargerState, this.maintenance),
      FirmwareStatusNotification: firmwareStatusNotification(this.chargerState, this.maintenance),
      // SessionsService answers with the idTag's status, ConcurrentTx when it is already charging.
      Authorize: authorize({ authorize: (charger, idTag) => this.sessions.authorizeAt(charger, idTag) }),
      StartTransaction: startTransaction(this.sessions),
      StopTransaction: stopTransaction(this.sessions),
      MeterValues: meterValues(this.sessions),
    };
  }
}
