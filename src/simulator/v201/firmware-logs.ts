import { putFile, uploadUrl } from '../diagnostics';
import type { HandlerOutcome } from '../simulator-types';

export interface UpdateFirmwareRequest {
  requestId: number;
  retries?: number;
  retryInterval?: number;
  firmware: {
    location: string;
    retrieveDateTime: string;
    installDateTime?: string;
    signingCertificate?: string;
    signature?: string;
  };
}

export interface GetLogRequest {
  logType: 'DiagnosticsLog' | 'SecurityLog';
  requestId: number;
  retries?: number;
  retryInterval?: number;
  log: { remoteLocation: string; oldestTimestamp?: string; latestTimestamp?: string };
}

/** What this part needs of the station. */
export interface FirmwarePort {
  readonly chargePointId: string;
  call<T extends object = Record<string, unknown>>(action: string, params: object): Promise<T>;
  schedule(task: string, delayMs: number, work: () => Promise<void>): void;
}

/**
 * UpdateFirmware (L01, signed firmware included) and GetLog (N01, diagnostics and security logs) of
 * a simulated 2.0.1 station: statuses reported the way a firmware reports them, logs uploaded to the
 * remote location with the file name appended.
 */
export class SimulatedFirmwareAndLogs {
  /** The requests as received, newest last. */
  readonly firmwareRequests: UpdateFirmwareRequest[] = [];
  readonly logRequests: GetLogRequest[] = [];
  /** Whether a signed firmware's signature verifies; false: InvalidSignature. */
  signatureValid = true;
  /** The station cannot reach the upload location (a network failure): UploadFailure. */
  uploadsFail = false;
  /** The uploads done: file name and HTTP status, or the error. */
  readonly uploads: { fileName: string; logType: string; status?: number; error?: string }[] = [];

  constructor(private readonly station: FirmwarePort) {}

  handlers(): Record<string, (params: never) => HandlerOutcome> {
    return {
      UpdateFirmware: (p: UpdateFirmwareRequest) => {
        this.firmwareRequests.push(p);
        return { reply: { status: 'Accepted' }, followUp: () => this.install(p) };
      },
      GetLog: (p: GetLogRequest) => {
        this.logRequests.push(p);
        const fileName = `${this.station.chargePointId}-${p.logType === 'SecurityLog' ? 'security' : 'diagnostics'}.log`;
        return {
          reply: { status: 'Accepted', filename: fileName },
          followUp: () => this.upload(p, fileName),
        };
      },
    };
  }

  private async install(p: UpdateFirmwareRequest): Promise<void> {
    const status = (s: string) =>
      this.station.call('FirmwareStatusNotification', { status: s, requestId: p.requestId });
    await status('Downloading');
    await status('Downloaded');
    if (p.firmware.signature !== undefined) {
      if (!this.signatureValid) return void (await status('InvalidSignature'));
      await status('SignatureVerified');
    }
    const installAt = p.firmware.installDateTime === undefined ? 0 : Date.parse(p.firmware.installDateTime);
    const finish = async () => {
      await status('Installing');
      await status('InstallRebooting');
      await status('Installed');
    };
    if (installAt <= Date.now()) return finish();
    await status('InstallScheduled');
    this.station.schedule(`install of firmware ${p.requestId}`, installAt - Date.now(), finish);
  }

  private async upload(p: GetLogRequest, fileName: string): Promise<void> {
    const status = (s: string) =>
      this.station.call('LogStatusNotification', { status: s, requestId: p.requestId });
    await status('Uploading');
    const body = [
      `${p.logType} of ${this.station.chargePointId}`,
      `${new Date().toISOString()} ${p.logType === 'SecurityLog' ? 'SettingSystemTime' : 'BootNotification Accepted'}`,
    ].join('\n');
    try {
      if (this.uploadsFail) throw new Error(`${p.log.remoteLocation} is unreachable`);
      const code = await putFile(uploadUrl(p.log.remoteLocation, fileName), body);
      this.uploads.push({ fileName, logType: p.logType, status: code });
      await status('Uploaded');
    } catch (e) {
      this.uploads.push({ fileName, logType: p.logType, error: e instanceof Error ? e.message : String(e) });
      await status('UploadFailure');
    }
  }
}
