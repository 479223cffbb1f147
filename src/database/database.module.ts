import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MetricsService } from '../common/metrics.service';
import { AppConfig } from '../config/app-config';
import { DatabaseHandle, Db, openDatabase } from './database';

export const DB = Symbol('DB');
const HANDLE = Symbol('DATABASE_HANDLE');

/** Injects the Drizzle database: `constructor(@InjectDb() private readonly db: Db)`. */
export const InjectDb = () => Inject(DB);

@Global()
@Module({
  providers: [
    {
      provide: HANDLE,
      inject: [AppConfig, { token: MetricsService, optional: true }],
      useFactory: (config: AppConfig, metrics?: MetricsService) =>
        openDatabase(config.database, metrics && ((s) => metrics.dbQueryDuration.observe(s))),
    },
    { provide: DB, inject: [HANDLE], useFactory: (handle: DatabaseHandle): Db => handle.db },
  ],
  exports: [DB, HANDLE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(HANDLE) private readonly handle: DatabaseHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

export { HANDLE as DATABASE_HANDLE };
