import http from 'node:http';
import https from 'node:https';
import type { ChargerSimulator } from './charger-simulator';
import type { CommandRequest } from '../ocpp-types/ocpp16';

export interface TlsOptions {
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
}

// OCPP 1.6 GetDiagnostics.req: `location` is the directory the file goes into, so the file name is
// appended to its path while any query string (e.g. a pre-signed URL) is kept.
export function uploadUrl(location: string, fileName: string): URL {
  const url = new URL(location);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(fileName)}`;
  return url;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

// PUTs a small text file and resolves with the HTTP status; anything but 2xx is an UploadError.
export function putFile(
  url: URL,
  body: string,
  options: { tls?: TlsOptions; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<number> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new UploadError(`Unsupported upload protocol ${url.protocol}`));
  }
  const payload = Buffer.from(body, 'utf8');
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': payload.length },
        timeout: options.timeoutMs ?? 10_000,
        signal: options.signal,
        ...(url.protocol === 'https:' ? options.tls : {}),
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new UploadError(`Upload to ${url.host} answered HTTP ${status}`, status));
        });
      },
    );
    request.on('timeout', () => request.destroy(new UploadError(`Upload to ${url.host} timed out`)));
    request.on('error', reject);
    request.end(payload);
  });
}

export async function uploadDiagnostics(
  sim: ChargerSimulator,
  request: CommandRequest<'GetDiagnostics'>,
  fileName: string,
): Promise<void> {
  await sim.diagnosticsStatusNotification('Uploading');
  const attempts = 1 + Math.max(0, request.retries ?? 0);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await putFile(uploadUrl(request.location, fileName), diagnosticsReport(sim, request), {
        tls: sim.options.tls,
      });
      await sim.diagnosticsStatusNotification('Uploaded');
      return;
    } catch (error) {
      if (attempt === attempts) {
        await sim.diagnosticsStatusNotification('UploadFailed');
        throw error;
      }
      await sim.sleep((request.retryInterval ?? 0) * 1000);
    }
  }
}

function diagnosticsReport(sim: ChargerSimulator, request: CommandRequest<'GetDiagnostics'>): string {
  const { vendor, model, serialNumber, firmwareVersion } = sim.options;
  const lines = [
    `Diagnostics of ${sim.chargePointId}`,
    `generated ${new Date().toISOString()} for ${request.startTime ?? 'boot'} .. ${request.stopTime ?? 'now'}`,
    `vendor=${vendor} model=${model} serial=${serialNumber} firmware=${firmwareVersion}`,
    `registration=${sim.registration?.status ?? 'none'} heartbeatInterval=${sim.heartbeatIntervalSeconds ?? '-'}s`,
    ...[...sim.connectors.values()].map(
      (c) =>
        `connector ${c.connectorId}: ${c.status} ${c.errorCode} ${c.availability} register=${c.meter.registerWh}Wh` +
        (c.transaction ? ` transaction=${c.transaction.transactionId}` : ''),
    ),
    'recent commands:',
    ...sim.received.slice(-20).map((call) => `  ${call.at.toISOString()} ${call.action}`),
  ];
  return `${lines.join('\n')}\n`;
}
