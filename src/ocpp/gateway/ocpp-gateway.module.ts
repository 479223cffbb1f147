import { Module } from '@nestjs/common';
import { StationsModule } from '../../stations/stations.module';
import { TenantsModule } from '../../tenants/tenants.module';
import { ChargerAdmission } from './charger-admission';
import { ChargerCommands } from './charger-commands';
import { ClusterPresence } from './cluster-presence';
import { MessageLogService } from './message-log.service';
import { OcppGatewayService } from './ocpp-gateway.service';
import { RequestedBoots } from './requested-boots';

/** Charger sockets and outbound calls. Services inject `ChargerCommands` to talk to chargers. */
@Module({
  imports: [StationsModule, TenantsModule],
  providers: [
    ChargerAdmission,
    ClusterPresence,
    MessageLogService,
    OcppGatewayService,
    RequestedBoots,
    { provide: ChargerCommands, useExisting: OcppGatewayService },
  ],
  exports: [ChargerCommands, OcppGatewayService, MessageLogService, RequestedBoots],
})
export class OcppGatewayModule {}
