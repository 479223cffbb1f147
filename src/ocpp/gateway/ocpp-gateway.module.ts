import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { ChargerAdmission } from './charger-admission';
import { ChargerCommands } from './charger-commands';
import { ChargerDirectory, ClientCertificates, StationPresence } from './charger-directory';
import { ClusterPresence } from './cluster-presence';
import { ConnectionPresence } from './connection-presence';
import { MessageLogService } from './message-log.service';
import { OcppDispatcher } from './ocpp-dispatcher';
import { OcppGatewayService } from './ocpp-gateway.service';
import { RequestedBoots } from './requested-boots';

/** The feature providers the gateway runs on, and the modules that export them. */
export interface GatewayPorts {
  imports: NonNullable<ModuleMetadata['imports']>;
  directory: Type<ChargerDirectory>;
  presence: Type<StationPresence>;
  clientCertificates: Type<ClientCertificates>;
}

/**
 * Charger sockets and outbound calls. The gateway imports no feature module: whoever registers it
 * names the providers of its ports. Global, so services inject `ChargerCommands` to talk to
 * chargers without importing it.
 */
@Module({})
export class OcppGatewayModule {
  static register({ imports, directory, presence, clientCertificates }: GatewayPorts): DynamicModule {
    return {
      module: OcppGatewayModule,
      global: true,
      imports,
      providers: [
        { provide: ChargerDirectory, useExisting: directory },
        { provide: StationPresence, useExisting: presence },
        { provide: ClientCertificates, useExisting: clientCertificates },
        ChargerAdmission,
        ClusterPresence,
        ConnectionPresence,
        MessageLogService,
        OcppDispatcher,
        OcppGatewayService,
        RequestedBoots,
        { provide: ChargerCommands, useExisting: OcppGatewayService },
      ],
      exports: [ChargerCommands, OcppDispatcher, MessageLogService, RequestedBoots],
    };
  }
}
