import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { DeviceModelModule } from '../commands/device-model.module';
import { StationsModule } from '../stations/stations.module';
import { TariffsModule } from '../tariffs/tariffs.module';
import { UsersModule } from '../users/users.module';
import { MeterValuesWriter } from './meter-values-writer';
import { SeedChargingController } from './seed-charging.controller';
import { SessionCloser } from './session-closer';
import { SessionCorrections } from './session-corrections';
import { SessionQueriesService } from './session-queries.service';
import { SessionStartService } from './session-start.service';
import { SessionsController } from './sessions.controller';
import { SessionReads } from './session-reads.repository';
import { SessionWrites } from './session-writes.repository';
import { SessionsService } from './sessions.service';
import { RunningCostsService } from './running-costs.service';
import { ZombieSessionsService } from './zombie-sessions.service';

@Module({
  imports: [CommandsModule, DeviceModelModule, StationsModule, TariffsModule, UsersModule],
  controllers: [SessionsController, SeedChargingController],
  providers: [
    SessionReads,
    SessionWrites,
    SessionCloser,
    SessionCorrections,
    SessionsService,
    SessionStartService,
    SessionQueriesService,
    MeterValuesWriter,
    ZombieSessionsService,
    RunningCostsService,
  ],
  exports: [SessionsService],
})
export class SessionsModule {}
