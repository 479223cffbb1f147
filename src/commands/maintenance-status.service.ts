import { Injectable } from '@nestjs/common';
import type { DiagnosticsRequestStatus, FirmwareUpdateStatus } from './commands.tables';
import { DiagnosticsRepository } from './diagnostics.repository';
import { FirmwareRepository } from './firmware.repository';

const FIRMWARE_PROGRESS: FirmwareUpdateStatus[] = [
  'Downloading',
  'Downloaded',
  'DownloadFailed',
  'Installing',
  'Installed',
  'InstallationFailed',
];
const DIAGNOSTICS_PROGRESS: DiagnosticsRequestStatus[] = ['Uploading', 'Uploaded', 'UploadFailed'];

/**
 * What the OCPP handlers tell the commands module: the progress of the firmware update and of the
 * diagnostics upload a station is working on. `Idle` only answers a TriggerMessage and moves
 * nothing on (OCPP 1.6 4.4, 4.5).
 */
@Injectable()
export class MaintenanceStatusService {
  constructor(
    private readonly firmware: FirmwareRepository,
    private readonly diagnostics: DiagnosticsRepository,
  ) {}

  /** `requestId`: the request a 2.0.1 station names; a 1.6 station's progress is its newest update's. */
  async onFirmwareStatus(
    tenantId: string,
    stationId: string,
    status: string,
    requestId?: number,
  ): Promise<void> {
    if (!FIRMWARE_PROGRESS.includes(status as FirmwareUpdateStatus)) return;
    await this.firmware.advanceLatest(tenantId, stationId, status as FirmwareUpdateStatus, requestId);
  }

  async onDiagnosticsStatus(
    tenantId: string,
    stationId: string,
    status: string,
    requestId?: number,
  ): Promise<void> {
    if (!DIAGNOSTICS_PROGRESS.includes(status as DiagnosticsRequestStatus)) return;
    await this.diagnostics.advanceLatest(tenantId, stationId, status as DiagnosticsRequestStatus, requestId);
  }
}
