import { Module } from '@nestjs/common';
import { DiagnosticsRepository } from './diagnostics.repository';
import { FirmwareRepository } from './firmware.repository';
import { MaintenanceStatusService } from './maintenance-status.service';

/** The hook the OCPP handlers call with FirmwareStatusNotification / DiagnosticsStatusNotification. */
@Module({
  providers: [MaintenanceStatusService, FirmwareRepository, DiagnosticsRepository],
  exports: [MaintenanceStatusService, FirmwareRepository, DiagnosticsRepository],
})
export class MaintenanceStatusModule {}
