import { Module } from '@nestjs/common';
import { StationsModule } from '../stations/stations.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { CertificatesController } from './certificates.controller';
import { CertificatesModule } from './certificates.module';
import { ChargerNotificationsModule } from '../ocpp/charger-notifications.module';
import { ChargerListsController } from './charger-lists.controller';
import { ChargingProfilesController } from './charging-profiles.controller';
import { CommandAuditController } from './command-audit.controller';
import { CommandAuditRepository } from './command-audit.repository';
import { CommandAuditService } from './command-audit.service';
import { CommandRunner } from './command-runner.service';
import { CommandsController } from './commands.controller';
import { Ocpp201CommandsController } from './ocpp201-commands.controller';
import { DeviceModelModule } from './device-model.module';
import { DisplayMessagesController } from './display-messages.controller';
import { DisplayMessagesService } from './display-messages.service';
import { DisplayMonitoringModule } from './display-monitoring.module';
import { MonitorsController } from './monitors.controller';
import { MonitorsService } from './monitors.service';
import { StationVariablesController } from './station-variables.controller';
import { StationVariablesService } from './station-variables.service';
import { CommandsService } from './commands.service';
import { DiagnosticsService } from './diagnostics.service';
import { FirmwareRolloutsController } from './firmware-rollouts.controller';
import { FirmwareService } from './firmware.service';
import { LocalListRepository } from './local-list.repository';
import { LocalListService } from './local-list.service';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceStatusModule } from './maintenance-status.module';
import { ReservationsController } from './reservations.controller';
import { ReservationsService } from './reservations.service';
import { SmartChargingService } from './smart-charging.service';

/** Operator commands to chargers, their audit log, firmware, diagnostics, reservations. */
@Module({
  imports: [
    StationsModule,
    TenantsModule,
    UsersModule,
    MaintenanceStatusModule,
    DeviceModelModule,
    CertificatesModule,
    ChargerNotificationsModule,
    DisplayMonitoringModule,
  ],
  controllers: [
    CommandsController,
    CommandAuditController,
    MaintenanceController,
    FirmwareRolloutsController,
    ReservationsController,
    ChargerListsController,
    ChargingProfilesController,
    StationVariablesController,
    CertificatesController,
    DisplayMessagesController,
    MonitorsController,
    // Last: its `:command` path must not shadow the named command routes above.
    Ocpp201CommandsController,
  ],
  providers: [
    CommandRunner,
    CommandAuditRepository,
    CommandAuditService,
    CommandsService,
    FirmwareService,
    DiagnosticsService,
    ReservationsService,
    LocalListRepository,
    LocalListService,
    SmartChargingService,
    StationVariablesService,
    DisplayMessagesService,
    MonitorsService,
  ],
  exports: [ReservationsService],
})
export class CommandsModule {}
