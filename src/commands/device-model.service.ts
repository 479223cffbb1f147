import { randomInt } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Page } from '../common/pagination';
import { ChargerCommands } from '../ocpp/gateway/charger-commands';
import type { ReportedVariable, VariableSetResult } from './device-model';
import { DeviceModelRepository } from './device-model.repository';
import type { StationVariableRow } from './device-model.tables';

export interface ChargerRef {
  tenantId: string;
  stationId: string;
  chargePointId: string;
}

/**
 * The device model of OCPP 2.0.1 stations: what their reports say, what SetVariables changed, and
 * the full inventory asked of a station Kilowatt knows nothing of yet.
 */
@Injectable()
export class DeviceModelService {
  private readonly logger = new Logger(DeviceModelService.name);

  constructor(
    private readonly repository: DeviceModelRepository,
    private readonly chargers: ChargerCommands,
  ) {}

  /** Resolves once every reported attribute is committed. */
  onReported(tenantId: string, stationId: string, reported: readonly ReportedVariable[]): Promise<void> {
    return this.repository.upsertReported(tenantId, stationId, reported);
  }

  onSetResults(tenantId: string, stationId: string, results: readonly VariableSetResult[]): Promise<void> {
    return this.repository.recordSetResults(tenantId, stationId, results);
  }

  list(
    tenantId: string,
    stationId: string,
    page: { component?: string; variable?: string; limit: number; cursor?: string },
  ): Promise<Page<StationVariableRow>> {
    return this.repository.listByStation(tenantId, stationId, page);
  }

  /**
   * Of the given stations, the ones a running cost may be shown on (CostUpdated): those whose device
   * model says TariffCostCtrlr Enabled[Cost] is true, and those whose model Kilowatt does not know
   * (no report yet, or none given), which are told as before. A station that reported its model
   * without enabling costs is left alone.
   */
  async showsCost(stationIds: readonly string[]): Promise<Set<string>> {
    const { known, costEnabled } = await this.repository.costDisplay(stationIds);
    return new Set(stationIds.filter((id) => !known.has(id) || costEnabled.has(id)));
  }

  /**
   * After an accepted boot of a station with nothing stored yet: GetBaseReport FullInventory, whose
   * NotifyReport parts fill the device model. Never throws; a station that refuses or is gone is
   * asked again at its next boot.
   */
  async requestInventoryIfUnknown(charger: ChargerRef): Promise<void> {
    try {
      if (await this.repository.hasAny(charger.tenantId, charger.stationId)) return;
      const reply = await this.chargers.call<{ status?: string }>(charger.chargePointId, 'GetBaseReport', {
        requestId: randomInt(1, 2 ** 31 - 1),
        reportBase: 'FullInventory',
      });
      if (reply.status !== 'Accepted')
        this.logger.log(
          { chargePointId: charger.chargePointId, status: reply.status },
          'GetBaseReport not accepted',
        );
    } catch (err) {
      this.logger.warn(
        { err, chargePointId: charger.chargePointId },
        'GetBaseReport after first boot failed',
      );
    }
  }
}
