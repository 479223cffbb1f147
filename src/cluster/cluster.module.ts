import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/database';
import { DB } from '../database/database.module';
import { ChargerPresenceService } from './charger-presence.service';
import { ClusterTransport } from './cluster-transport';
import { DbHitCounter, HitCounter, MemoryHitCounter } from './hit-counter';
import { InProcessTransport } from './in-process.transport';
import { NatsTransport } from './nats.transport';

const PURGE_INTERVAL_MS = 60_000;

/**
 * Running several nodes: the transport between them (NATS when NATS_URL is set, in-process
 * otherwise), charger presence, and rate-limit counters shared through the database.
 */
@Global()
@Module({
  providers: [
    {
      provide: ClusterTransport,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<ClusterTransport> =>
        config.natsUrl
          ? NatsTransport.connect(config.natsUrl, config.cluster.nodeId, config.cluster.subjectPrefix)
          : new InProcessTransport(config.cluster.nodeId),
    },
    {
      provide: HitCounter,
      inject: [AppConfig, DB],
      // One node keeps its counters in memory, as it always did; a cluster shares them.
      useFactory: (config: AppConfig, db: Db): HitCounter =>
        config.natsUrl ? new DbHitCounter(db) : new MemoryHitCounter(),
    },
    ChargerPresenceService,
  ],
  exports: [ClusterTransport, HitCounter, ChargerPresenceService],
})
export class ClusterModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterModule.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ClusterTransport) private readonly transport: ClusterTransport,
    private readonly counter: HitCounter,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.counter
        .purgeExpired()
        .catch((err: unknown) => this.logger.warn({ err }, 'Rate-limit purge failed'));
    }, PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.transport.close();
  }
}
