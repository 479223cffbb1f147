import { Module, OnModuleInit } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { CertificatesModule, ClientCertificatesModule } from '../commands/certificates.module';
import { IssuedClientCertificates } from '../commands/client-certificates';
import { DeviceModelModule } from '../commands/device-model.module';
import { DisplayMonitoringModule } from '../commands/display-monitoring.module';
import { MaintenanceStatusModule } from '../commands/maintenance-status.module';
import { ChargerStateService } from '../stations/charger-state.service';
import { StationsModule } from '../stations/stations.module';
import { UsersModule } from '../users/users.module';
import { ChargerNotificationsModule } from './charger-notifications.module';
import { OcppGatewayModule } from './gateway/ocpp-gateway.module';
import { OcppDispatcher } from './gateway/ocpp-dispatcher';
import { OcppLogController } from './ocpp-log.controller';
import { V16Handlers } from './v16/v16-handlers';
import { V201Handlers } from './v201/v201-handlers';

/**
 * OCPP 1.6J and 2.0.1: the gateway, run on the stations module's directory and presence and the
 * certificates module's record of client certificates, plus each protocol's handlers, which turn
 * charger messages into domain calls.
 */
@Module({
  imports: [
    OcppGatewayModule.register({
      imports: [StationsModule, ClientCertificatesModule],
      directory: ChargerStateService,
      presence: ChargerStateService,
      clientCertificates: IssuedClientCertificates,
    }),
    StationsModule,
    UsersModule,
    MaintenanceStatusModule,
    DeviceModelModule,
    CertificatesModule,
    DisplayMonitoringModule,
    SessionsModule,
    ChargerNotificationsModule,
  ],
  controllers: [OcppLogController],
  providers: [V16Handlers, V201Handlers],
})
export class OcppModule implements OnModuleInit {
  constructor(
    private readonly dispatcher: OcppDispatcher,
    private readonly v16: V16Handlers,
    private readonly v201: V201Handlers,
  ) {}

  onModuleInit(): void {
    this.dispatcher.useHandlers('ocpp1.6', this.v16.build());
    this.dispatcher.useHandlers('ocpp2.0.1', this.v201.build());
  }
}
