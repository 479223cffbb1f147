import { Module, OnModuleInit } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { MaintenanceStatusModule } from '../commands/maintenance-status.module';
import { StationsModule } from '../stations/stations.module';
import { UsersModule } from '../users/users.module';
import { ChargerNotificationsRepository } from './charger-notifications.repository';
import { OcppGatewayModule } from './gateway/ocpp-gateway.module';
import { OcppGatewayService } from './gateway/ocpp-gateway.service';
import { OcppLogController } from './ocpp-log.controller';
import { V16Handlers } from './v16/v16-handlers';
import { V201Handlers } from './v201/v201-handlers';

/** OCPP 1.6J and 2.0.1: the gateway plus each protocol's handlers, which turn charger messages into domain calls. */
@Module({
  imports: [OcppGatewayModule, StationsModule, UsersModule, MaintenanceStatusModule, SessionsModule],
  controllers: [OcppLogController],
  providers: [V16Handlers, V201Handlers, ChargerNotificationsRepository],
})
export class OcppModule implements OnModuleInit {
  constructor(
    private readonly gateway: OcppGatewayService,
    private readonly v16: V16Handlers,
    private readonly v201: V201Handlers,
  ) {}

  onModuleInit(): void {
    this.gateway.useHandlers('ocpp1.6', this.v16.build());
    this.gateway.useHandlers('ocpp2.0.1', this.v201.build());
  }
}
