import { Module } from '@nestjs/common';
import { DiagnosticsRepository } from './diagnostics.repository';
import { FirmwareRepository } from './firmware.repository';
import { MaintenanceStatusService } from './maintenance-status.service';
import { ReservationStatusService } from './reservation-status.service';
import { ReservationsRepository } from './reservations.repository';

/**
 * The hooks the OCPP handlers call with what a station reports of the commands' work: firmware and
 * diagnostics progress (FirmwareStatusNotification / DiagnosticsStatusNotification, 2.0.1
 * LogStatusNotification) and reservations it ended (2.0.1 ReservationStatusUpdate).
 */
@Module({
  providers: [
    MaintenanceStatusService,
    ReservationStatusService,
    FirmwareRepository,
    DiagnosticsRepository,
    ReservationsRepository,
  ],
  exports: [
    MaintenanceStatusService,
    ReservationStatusService,
    FirmwareRepository,
    DiagnosticsRepository,
    ReservationsRepository,
  ],
})
export class MaintenanceStatusModule {}
