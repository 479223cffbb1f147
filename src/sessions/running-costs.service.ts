import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DeviceModelService } from '../commands/device-model.service';
import { ChargerCommands } from '../ocpp/gateway/charger-commands';
import { minorDigits } from '../tariffs/tariff-summary';
import { SessionQueriesService } from './session-queries.service';
import { SessionReads } from './session-reads.repository';

/** Sessions priced and told per tick, so a tick's work stays bounded however many are running. */
const PAGE = 200;
/** A display update is not worth a long wait: a silent station is skipped until the next round. */
const CALL_TIMEOUT_MS = 5_000;

/**
 * Shows drivers what they are spending on the station's own display: every
 * COST_UPDATE_INTERVAL_SECONDS, each active session of an OCPP 2.0.1 station gets its running
 * cost (as `GET /sessions/{id}` estimates it) in a CostUpdated. One timer for all sessions; a
 * station that is offline, silent or refuses is skipped until the next tick, never an error. A
 * station whose reported device model does not enable TariffCostCtrlr Enabled[Cost] is not told.
 * OCPP 1.6 has no such message; its sessions are left out.
 */
@Injectable()
export class RunningCostsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RunningCostsService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly reads: SessionReads,
    private readonly queries: SessionQueriesService,
    private readonly chargers: ChargerCommands,
    private readonly deviceModel: DeviceModelService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const seconds = this.config.costUpdateIntervalSeconds;
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.pushAll(), seconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One round over every running 2.0.1 session; answers how many stations took their cost. */
  async pushAll(now = new Date()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let told = 0;
    try {
      for (let after: string | null = null; ;) {
        const page = await this.reads.listActiveWithChargerTransaction(after, PAGE);
        const showsCost = await this.deviceModel.showsCost(page.map((session) => session.stationId));
        for (const session of page) {
          if (!showsCost.has(session.stationId)) continue;
          const estimate = await this.queries.estimate(session, now);
          if (!estimate || !(await this.chargers.isConnected(session.chargePointId))) continue;
          try {
            await this.chargers.call(
              session.chargePointId,
              'CostUpdated',
              {
                totalCost: estimate.totalMinor / 10 ** minorDigits(estimate.currency),
                transactionId: session.chargerTransactionId,
              },
              { timeoutMs: CALL_TIMEOUT_MS },
            );
            told++;
          } catch (err) {
            this.logger.debug({ err, chargePointId: session.chargePointId }, 'CostUpdated not delivered');
          }
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1].id;
      }
    } catch (err) {
      this.logger.warn({ err }, 'Running-cost round failed');
    } finally {
      this.running = false;
    }
    return told;
  }
}
