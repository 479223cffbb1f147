import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { keysetPage } from '../common/keyset';
import type { Page, PageQueryDto } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { redactError } from '../ocpp/gateway/frame-redaction';
import { CommandRunner, CommandTarget, protocolOf, targetOf } from './command-runner.service';
import { newRequestId, translate201 } from './ocpp201-translations';
import type { DiagnosticsRequestRow } from './commands.tables';
import { DiagnosticsRepository } from './diagnostics.repository';
import { DiagnosticsStorage } from './diagnostics-storage';
import type {
  DiagnosticsFileResponse,
  GetDiagnosticsDto,
  GetDiagnosticsResponse,
  UploadReceipt,
} from './dto/diagnostics.dto';

export const UPLOAD_ROUTE = 'api/v1/diagnostics-uploads';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** localhost, 127.0.0.0/8, ::1 and the unspecified addresses: no charger reaches us there. */
export const isLoopbackUrl = (url: string): boolean => {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    ['::1', '0.0.0.0', '::'].includes(host)
  );
};

const toResponse = (r: DiagnosticsRequestRow): DiagnosticsFileResponse => ({
  id: r.id,
  stationId: r.stationId,
  status: r.status,
  fileName: r.fileName,
  logType: r.logType,
  sizeBytes: r.sizeBytes,
  sha256: r.sha256,
  available: r.receivedAt !== null,
  receivedAt: r.receivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/**
 * GetDiagnostics with an upload location of our own: a one-time URL, the file kept for admins.
 * Only the token's SHA-256 is stored; the audit and OCPP logs and error details mask the token.
 */
@Injectable()
export class DiagnosticsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DiagnosticsService.name);
  private readonly storage: DiagnosticsStorage;

  constructor(
    private readonly runner: CommandRunner,
    private readonly repo: DiagnosticsRepository,
    private readonly config: AppConfig,
    private readonly http: HttpAdapterHost,
  ) {
    this.storage = new DiagnosticsStorage(
      join(config.dataDir, 'diagnostics'),
      config.commands.diagnosticsMaxBytes,
    );
  }

  onApplicationBootstrap(): void {
    const base = this.config.commands.publicBaseUrl;
    if (base && !isLoopbackUrl(base)) return;
    this.logger.warn(
      base
        ? `PUBLIC_BASE_URL ${base} is a loopback address: chargers cannot upload diagnostics there`
        : 'PUBLIC_BASE_URL is not set: diagnostics upload URLs given to chargers are derived from ' +
            'HOST and PORT (http://localhost:… on a wildcard address), which no real charger can reach. ' +
            'Set PUBLIC_BASE_URL to the address chargers reach this server at.',
    );
  }

  async getDiagnostics(
    actor: Actor,
    stationId: string,
    dto: GetDiagnosticsDto,
  ): Promise<GetDiagnosticsResponse> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const logType = dto.logType ?? 'DiagnosticsLog';
    // OCPP 1.6 core uploads only diagnostics; its security log is the security whitepaper's GetLog.
    if (logType !== 'DiagnosticsLog' && protocolOf(target) !== 'ocpp2.0.1')
      throw new DomainError(
        'UNSUPPORTED_BY_PROTOCOL',
        `${target.chargePointId} speaks ${protocolOf(target)}, which uploads no ${logType}`,
      );
    const options = {
      logType,
      ...(dto.retries !== undefined && { retries: dto.retries }),
      ...(dto.retryInterval !== undefined && { retryInterval: dto.retryInterval }),
      ...(dto.startTime !== undefined && { startTime: new Date(dto.startTime).toISOString() }),
      ...(dto.stopTime !== undefined && { stopTime: new Date(dto.stopTime).toISOString() }),
    };
    if (dto.location) {
      const reply = await this.requestDiagnostics(actor, target, { location: dto.location, ...options });
      return {
        status: reply.fileName ? 'Accepted' : 'Rejected',
        ...(reply.fileName && { fileName: reply.fileName }),
      };
    }
    const token = randomBytes(32).toString('base64url');
    // A 2.0.1 station's GetLog carries a requestId that its LogStatusNotifications echo.
    const requestId = protocolOf(target) === 'ocpp2.0.1' ? newRequestId() : null;
    const request = await this.repo.insert(target.tenantId, {
      stationId: target.stationId,
      tokenHash: hashToken(token),
      tokenExpiresAt: new Date(Date.now() + this.config.commands.diagnosticsUploadTtlSeconds * 1000),
      logType,
      requestId,
      requestedByUserId: actor.userId ?? null,
    });
    const base = this.baseUrl();
    if (isLoopbackUrl(base))
      this.logger.warn(
        { chargePointId: target.chargePointId, base },
        `${target.chargePointId} is told to upload diagnostics to a loopback address; set PUBLIC_BASE_URL`,
      );
    try {
      const reply = await this.requestDiagnostics(actor, target, {
        location: `${base}/${UPLOAD_ROUTE}/${token}`,
        ...(requestId !== null && { requestId }),
        ...options,
      });
      // No fileName: the charger has no diagnostics to give (OCPP 1.6 6.23).
      if (!reply.fileName) await this.repo.update(request.tenantId, request.id, { status: 'rejected' });
      else await this.repo.update(request.tenantId, request.id, { fileName: reply.fileName });
      return {
        status: reply.fileName ? 'Accepted' : 'Rejected',
        ...(reply.fileName && { fileName: reply.fileName }),
        diagnosticsId: request.id,
      };
    } catch (e) {
      const code = e instanceof DomainError ? e.code : undefined;
      const status =
        code === 'STATION_OFFLINE' ? 'offline' : code === 'CHARGER_TIMEOUT' ? 'timeout' : 'rejected';
      await this.repo.update(request.tenantId, request.id, { status });
      // A charger's CALLERROR description may quote the location, token included.
      throw redactError(e, [token]);
    }
  }

  /**
   * GetDiagnostics, or for a 2.0.1 station GetLog of its diagnostics or security log, answered in 1.6 terms: a
   * fileName when the station will upload one.
   */
  private async requestDiagnostics(
    actor: Actor,
    target: CommandTarget,
    request: {
      location: string;
      /** The GetLog requestId (2.0.1) of a stored upload; a new one otherwise. */
      requestId?: number;
      logType: 'DiagnosticsLog' | 'SecurityLog';
      retries?: number;
      retryInterval?: number;
      startTime?: string;
      stopTime?: string;
    },
  ): Promise<{ fileName?: string }> {
    if (protocolOf(target) !== 'ocpp2.0.1') {
      const { logType: _diagnostics, requestId: _none, ...getDiagnostics } = request;
      return this.runner.send<{ fileName?: string }>(actor, target, 'GetDiagnostics', getDiagnostics);
    }
    const reply = await this.runner.send<{ status: string; filename?: string }>(
      actor,
      target,
      'GetLog',
      translate201.getLog({ ...request, requestId: request.requestId ?? newRequestId() }),
      'ocpp2.0.1',
    );
    const accepted = reply.status === 'Accepted' || reply.status === 'AcceptedCanceled';
    return accepted ? { fileName: reply.filename ?? 'diagnostics' } : {};
  }

  /** The charger's upload: only with an unexpired token that has not been used. */
  async receiveUpload(
    token: string,
    fileName: string,
    contentType: string | undefined,
    body: Readable,
  ): Promise<UploadReceipt> {
    const request = await this.repo.findByOpenToken(hashToken(token), new Date());
    if (!request) throw new DomainError('NOT_FOUND', 'Unknown or expired upload URL');
    const file = await this.storage.receive(body);
    const won = await this.repo.markReceived(request.tenantId, request.id, {
      fileName: fileName.slice(0, 255),
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      contentType: contentType?.slice(0, 100) ?? null,
    });
    if (!won) {
      await this.storage.discard(file.tempPath);
      throw new DomainError('NOT_FOUND', 'Unknown or expired upload URL');
    }
    await this.storage.keep(file.tempPath, request.id);
    return { sizeBytes: file.sizeBytes, sha256: file.sha256 };
  }

  async list(actor: Actor, stationId: string, q: PageQueryDto): Promise<Page<DiagnosticsFileResponse>> {
    const { station } = await this.runner.target(actor, stationId);
    const limit = q.limit ?? 50;
    return keysetPage(
      await this.repo.listForStation(station.tenantId, station.id, limit + 1, q.cursor),
      limit,
      toResponse,
    );
  }

  async download(
    actor: Actor,
    stationId: string,
    fileId: string,
  ): Promise<{ fileName: string; contentType: string; sizeBytes: number; stream: Readable }> {
    const { station } = await this.runner.target(actor, stationId);
    const row = await this.repo.findForStation(station.tenantId, station.id, fileId);
    if (!row || !row.receivedAt) throw new DomainError('NOT_FOUND', `Diagnostics file ${fileId} not found`);
    return {
      fileName: row.fileName ?? `${row.id}.bin`,
      contentType: row.contentType?.split(';')[0] || 'application/octet-stream',
      sizeBytes: row.sizeBytes ?? 0,
      stream: await this.storage.open(row.id),
    };
  }

  private baseUrl(): string {
    if (this.config.commands.publicBaseUrl) return this.config.commands.publicBaseUrl;
    const address = this.http.httpAdapter.getHttpServer().address() as AddressInfo | null;
    const port = address?.port ?? this.config.port;
    const host = ['0.0.0.0', '::', ''].includes(this.config.host) ? 'localhost' : this.config.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
}
