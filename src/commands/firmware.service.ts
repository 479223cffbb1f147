import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { StationsService, StationView } from '../stations/stations.service';
import { CommandRunner, CommandTarget, protocolOf, targetOf } from './command-runner.service';
import { newRequestId, requireAccepted, translate201 } from './ocpp201-translations';
import type { FirmwareRolloutRow, FirmwareUpdateRow, FirmwareUpdateStatus } from './commands.tables';
import type {
  CreateRolloutDto,
  FirmwareUpdateResponse,
  RolloutResponse,
  StationFirmwareResponse,
  UpdateFirmwareDto,
} from './dto/firmware.dto';
import { parseCertificate } from './certificate-authority';
import { SIGNED_FIRMWARE_FIELDS } from './dto/firmware.dto';
import { FirmwareRepository } from './firmware.repository';
import { scopedTo, tenantOfRequest } from './tenant-of-request';

/** How many stations of a rollout are being sent UpdateFirmware at once. */
const ROLLOUT_CONCURRENCY = 4;
const PAGE = 200;

const toUpdateResponse = (u: FirmwareUpdateRow): FirmwareUpdateResponse => ({
  id: u.id,
  stationId: u.stationId,
  chargePointId: u.chargePointId,
  rolloutId: u.rolloutId,
  location: u.location,
  retrieveDate: u.retrieveDate.toISOString(),
  status: u.status,
  errorCode: u.errorCode,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

/** The status an update is left in when UpdateFirmware got no reply. */
function failedStatus(e: unknown): FirmwareUpdateStatus {
  const code = e instanceof DomainError ? e.code : undefined;
  if (code === 'STATION_OFFLINE') return 'offline';
  if (code === 'CHARGER_TIMEOUT') return 'timeout';
  return 'rejected';
}

/** The signed-firmware fields given, which only OCPP 2.0.1 has. */
const signedFieldsOf = (dto: UpdateFirmwareDto) => SIGNED_FIRMWARE_FIELDS.filter((f) => dto[f] !== undefined);

function isCertificate(pem: string): boolean {
  try {
    parseCertificate(pem);
    return true;
  } catch {
    return false;
  }
}

/**
 * A signed firmware names both its certificate and its signature (OCPP 2.0.1 L01), the
 * certificate one that parses (the station checks the signature against the firmware it
 * downloads), and is not installed before it is retrieved.
 */
function requireSignedFieldsValid(dto: UpdateFirmwareDto, retrieveDate: Date): void {
  if ((dto.signingCertificate === undefined) !== (dto.signature === undefined)) {
    const message = 'signingCertificate and signature go together';
    throw new DomainError('VALIDATION_FAILED', message, {
      fields: ['signingCertificate', 'signature'].map((field) => ({ field, errors: [message] })),
    });
  }
  if (dto.signingCertificate !== undefined && !isCertificate(dto.signingCertificate)) {
    const message = 'signingCertificate must be a PEM-encoded X.509 certificate';
    throw new DomainError('VALIDATION_FAILED', message, {
      fields: [{ field: 'signingCertificate', errors: [message] }],
    });
  }
  if (dto.installDate !== undefined && Date.parse(dto.installDate) < retrieveDate.getTime()) {
    const message = 'installDate must not be before retrieveDate';
    throw new DomainError('VALIDATION_FAILED', message, {
      fields: [{ field: 'installDate', errors: [message] }],
    });
  }
}

/** A 1.6 station cannot be given the signed-firmware fields. */
function requireSignedFieldsSupported(target: CommandTarget, dto: UpdateFirmwareDto): void {
  const signed = signedFieldsOf(dto);
  if (signed.length > 0 && protocolOf(target) !== 'ocpp2.0.1')
    throw new DomainError(
      'UNSUPPORTED_BY_PROTOCOL',
      `${target.chargePointId} speaks ${protocolOf(target)}, whose UpdateFirmware has no ${signed.join(', ')}`,
    );
}

/** UpdateFirmware for one station or a rollout to many, with progress from FirmwareStatusNotification. */
@Injectable()
export class FirmwareService implements OnModuleDestroy {
  private readonly logger = new Logger(FirmwareService.name);
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly runner: CommandRunner,
    private readonly repo: FirmwareRepository,
    private readonly stations: StationsService,
  ) {}

  async updateFirmware(
    actor: Actor,
    stationId: string,
    dto: UpdateFirmwareDto,
  ): Promise<{ status: string; firmwareUpdateId: string }> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const retrieveDate = dto.retrieveDate ? new Date(dto.retrieveDate) : new Date();
    requireSignedFieldsValid(dto, retrieveDate);
    requireSignedFieldsSupported(target, dto);
    const update = await this.repo.insertUpdate(target.tenantId, {
      stationId: target.stationId,
      chargePointId: target.chargePointId,
      location: dto.location,
      retrieveDate,
    });
    await this.send(actor, target, update, dto, retrieveDate, true);
    return { status: 'Accepted', firmwareUpdateId: update.id };
  }

  async createRollout(actor: Actor, dto: CreateRolloutDto): Promise<RolloutResponse> {
    const tenantId = tenantOfRequest(actor, dto.tenantId);
    const chosen = [dto.siteId, dto.model, dto.stationIds].filter((v) => v !== undefined).length;
    if (chosen !== 1) {
      const message = 'give exactly one of siteId, model or stationIds';
      throw new DomainError('VALIDATION_FAILED', message, {
        fields: ['siteId', 'model', 'stationIds'].map((field) => ({ field, errors: [message] })),
      });
    }
    requireSignedFieldsValid(dto, dto.retrieveDate ? new Date(dto.retrieveDate) : new Date());
    const views = await this.chooseStations(scopedTo(actor, tenantId), dto);
    if (views.length === 0) {
      throw new DomainError('VALIDATION_FAILED', 'No station matches the rollout target', {
        fields: [{ field: dto.siteId ? 'siteId' : 'model', errors: ['no station matches'] }],
      });
    }
    const retrieveDate = dto.retrieveDate ? new Date(dto.retrieveDate) : new Date();
    const target = dto.siteId
      ? { siteId: dto.siteId }
      : dto.model
        ? { model: dto.model }
        : { stationIds: dto.stationIds };
    const { rollout, updates } = await this.repo.insertRollout(
      tenantId,
      {
        location: dto.location,
        retrieveDate,
        retries: dto.retries ?? null,
        retryInterval: dto.retryInterval ?? null,
        target,
        createdByUserId: actor.userId ?? null,
      },
      views.map(({ station }) => ({ stationId: station.id, chargePointId: station.chargePointId })),
    );
    this.track(this.sendRollout(actor, rollout, updates, dto));
    return this.toRolloutResponse(rollout, updates);
  }

  async getRollout(actor: Actor, id: string): Promise<RolloutResponse> {
    const rollout = await this.repo.findRollout(actor.role === 'root' ? null : actor.tenantId, id);
    if (!rollout) throw notFound('Firmware rollout', id);
    return this.toRolloutResponse(rollout, await this.repo.updatesOfRollout(rollout.tenantId, id));
  }

  async stationFirmware(actor: Actor, stationId: string): Promise<StationFirmwareResponse> {
    // FirmwareStatusNotification writes the station's status first, then the update's; reading in
    // the reverse order means the station never shows an older status than its newest update.
    // (A foreign or unknown station still answers 404 below, before anything is returned.)
    const updates = await this.repo.updatesOfStation(
      actor.role === 'root' ? null : actor.tenantId,
      stationId,
      20,
    );
    const { station } = await this.stations.findByIdForActor(actor, stationId);
    return {
      firmwareVersion: station.firmwareVersion,
      firmwareStatus: station.firmwareStatus,
      updates: updates.map(toUpdateResponse),
    };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async send(
    actor: Actor,
    target: CommandTarget,
    update: FirmwareUpdateRow,
    dto: UpdateFirmwareDto,
    retrieveDate: Date,
    rethrow: boolean,
  ): Promise<void> {
    try {
      // A rollout's 1.6 station with signed fields is rejected (UNSUPPORTED_BY_PROTOCOL), the others go on.
      requireSignedFieldsSupported(target, dto);
      const request = {
        location: dto.location,
        retrieveDate: retrieveDate.toISOString(),
        ...(dto.retries !== undefined && { retries: dto.retries }),
        ...(dto.retryInterval !== undefined && { retryInterval: dto.retryInterval }),
      };
      if (protocolOf(target) === 'ocpp2.0.1') {
        // Stored first: the station's first FirmwareStatusNotification may come before its answer.
        const requestId = newRequestId();
        await this.repo.setRequestId(update.tenantId, update.id, requestId);
        const reply = await this.runner.send<{ status?: string }>(
          actor,
          target,
          'UpdateFirmware',
          translate201.updateFirmware({
            ...request,
            requestId,
            ...(dto.installDate !== undefined && { installDate: new Date(dto.installDate).toISOString() }),
            ...(dto.signingCertificate !== undefined && { signingCertificate: dto.signingCertificate }),
            ...(dto.signature !== undefined && { signature: dto.signature }),
          }),
          'ocpp2.0.1',
        );
        requireAccepted(target.chargePointId, 'UpdateFirmware', reply);
      } else await this.runner.send(actor, target, 'UpdateFirmware', request);
      // A FirmwareStatusNotification may already have moved it on; only a pending row becomes sent.
      await this.repo.markSent(update.tenantId, update.id);
    } catch (e) {
      await this.repo.setStatus(
        update.tenantId,
        update.id,
        failedStatus(e),
        e instanceof DomainError ? e.code : 'INTERNAL_ERROR',
      );
      if (rethrow) throw e;
    }
  }

  private async sendRollout(
    actor: Actor,
    rollout: FirmwareRolloutRow,
    updates: FirmwareUpdateRow[],
    dto: UpdateFirmwareDto,
  ): Promise<void> {
    const queue = [...updates];
    const worker = async (): Promise<void> => {
      for (let u = queue.shift(); u; u = queue.shift()) {
        const ocppVersion = await this.stations.ocppVersionOf(u.tenantId, u.stationId);
        const target = {
          tenantId: u.tenantId,
          stationId: u.stationId,
          chargePointId: u.chargePointId,
          ocppVersion,
        };
        await this.send(actor, target, u, dto, rollout.retrieveDate, false);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROLLOUT_CONCURRENCY, updates.length) }, worker));
  }

  private track(work: Promise<void>): void {
    const p = work
      .catch((err: unknown) => this.logger.error({ err }, 'Firmware rollout failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  private async chooseStations(actor: Actor, dto: CreateRolloutDto): Promise<StationView[]> {
    if (dto.stationIds) {
      const unique = [...new Set(dto.stationIds)];
      return Promise.all(unique.map((id) => this.stations.findByIdForActor(actor, id)));
    }
    if (dto.siteId) {
      if ((await this.stations.siteTenant(actor.tenantId, dto.siteId)) === null)
        throw notFound('Site', dto.siteId);
      return this.stations.listBySite(actor, dto.siteId);
    }
    const found: StationView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.stations.list(actor, { limit: PAGE, cursor });
      found.push(...page.items.filter((v) => v.station.model === dto.model));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return found;
  }

  private toRolloutResponse(rollout: FirmwareRolloutRow, updates: FirmwareUpdateRow[]): RolloutResponse {
    const summary: Record<string, number> = {};
    for (const u of updates) summary[u.status] = (summary[u.status] ?? 0) + 1;
    return {
      id: rollout.id,
      tenantId: rollout.tenantId,
      location: rollout.location,
      retrieveDate: rollout.retrieveDate.toISOString(),
      target: rollout.target,
      summary,
      stations: updates.map(toUpdateResponse),
      createdAt: rollout.createdAt.toISOString(),
    };
  }
}
