import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { accountOf, isAdmin } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { keysetPage } from '../common/keyset';
import type { Page } from '../common/pagination';
import { StationsService, type StationView } from '../stations/stations.service';
import { TenantsService } from '../tenants/tenants.service';
import { UsersService } from '../users/users.service';
import { CommandRunner, CommandTarget, protocolOf, targetOf } from './command-runner.service';
import type { ReservationRow } from './commands.tables';
import type {
  CancelReservationDto,
  CreateReservationDto,
  ReservationQueryDto,
  ReservationResponse,
  ReserveNowDto,
  ReserveNowResponse,
} from './dto/reservation.dto';
import { translate201 } from './ocpp201-translations';
import { ReservationsRepository } from './reservations.repository';

const DEFAULT_MINUTES = 15;

/** The EVSE of a station's connector for 2.0.1: its declared evseId, else EVSE n is connector n. */
const evseResolver =
  ({ connectors }: StationView) =>
  (connectorId: number): number | null =>
    connectorId === 0 ? null : (connectors.find((c) => c.connectorId === connectorId)?.evseId ?? connectorId);

export const toReservationResponse = (r: ReservationRow): ReservationResponse => ({
  id: r.id,
  reservationId: r.reservationId,
  stationId: r.stationId,
  connectorId: r.connectorId,
  idTag: r.idTag,
  userId: r.userId,
  expiresAt: r.expiresAt.toISOString(),
  status: r.status,
  chargerStatus: r.chargerStatus,
  createdAt: r.createdAt.toISOString(),
});

interface Reservation {
  connectorId: number;
  idTag: string;
  parentIdTag?: string;
  expiresAt: Date;
  userId: string | null;
}

/**
 * ReserveNow / CancelReservation, by admins for any idTag and by users for their own where the
 * tenant allows it. `assertCanStart` is what the session start logic asks before starting.
 */
@Injectable()
export class ReservationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReservationsService.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly runner: CommandRunner,
    private readonly repo: ReservationsRepository,
    private readonly stations: StationsService,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /** Admin command: reserve a connector for any idTag. */
  async reserveNow(actor: Actor, stationId: string, dto: ReserveNowDto): Promise<ReserveNowResponse> {
    const view = await this.runner.target(actor, stationId);
    const target = { ...targetOf(view), evseOf: evseResolver(view) };
    const expiresAt = new Date(dto.expiryDate);
    if (expiresAt.getTime() <= Date.now()) {
      throw new DomainError('VALIDATION_FAILED', 'expiryDate must be in the future', {
        fields: [{ field: 'expiryDate', errors: ['expiryDate must be in the future'] }],
      });
    }
    const row = await this.reserve(actor, target, { ...dto, expiresAt, userId: null });
    return { status: row.chargerStatus ?? 'Rejected', reservationId: row.reservationId, id: row.id };
  }

  /** Admin command: cancel by the reservationId the charger knows. */
  async cancelReservation(
    actor: Actor,
    stationId: string,
    dto: CancelReservationDto,
  ): Promise<{ status: string }> {
    const target = targetOf(await this.runner.target(actor, stationId));
    const row = await this.repo.findByReservationId(target.tenantId, target.stationId, dto.reservationId);
    if (!row) throw notFound('Reservation', dto.reservationId);
    return this.cancel(actor, target, row);
  }

  /** A user reserves a connector for their own app idTag. */
  async createForUser(actor: Actor, dto: CreateReservationDto): Promise<ReservationResponse> {
    const tenant = await this.tenants.findById(actor.tenantId);
    if (!tenant?.allowUserReservations && !isAdmin(actor)) {
      throw new DomainError('FORBIDDEN', 'This operator does not allow reservations through the API');
    }
    const userId = accountOf(actor);
    const view = await this.stations.findByIdForActor(actor, dto.stationId);
    const target = { ...targetOf(view), evseOf: evseResolver(view) };
    const idTag = await this.users.appIdTagOf(target.tenantId, userId);
    const minutes = dto.durationMinutes ?? DEFAULT_MINUTES;
    const row = await this.reserve(actor, target, {
      connectorId: dto.connectorId,
      idTag,
      expiresAt: new Date(Date.now() + minutes * 60_000),
      userId,
    });
    return toReservationResponse(row);
  }

  async list(actor: Actor, q: ReservationQueryDto): Promise<Page<ReservationResponse>> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(
      actor.role === 'root' ? null : actor.tenantId,
      {
        userId: isAdmin(actor) ? undefined : accountOf(actor),
        stationId: q.stationId,
        status: q.status,
      },
      limit + 1,
      q.cursor,
    );
    return keysetPage(rows, limit, toReservationResponse);
  }

  /** The owner or an admin cancels a reservation. */
  async cancelById(actor: Actor, id: string): Promise<ReservationResponse> {
    const row = await this.repo.findById(actor.role === 'root' ? null : actor.tenantId, id);
    if (!row || (!isAdmin(actor) && row.userId !== actor.userId)) throw notFound('Reservation', id);
    const { station } = await this.stations.findByIdForActor(actor, row.stationId);
    const { status } = await this.cancel(actor, targetOf({ station, connectors: [] }), row);
    if (status !== 'Accepted') {
      throw new DomainError('CHARGER_REJECTED', `The charger answered ${status} to CancelReservation`);
    }
    return toReservationResponse((await this.repo.findById(row.tenantId, id)) ?? row);
  }

  /**
   * For the session start: throws CONNECTOR_RESERVED (409) when the connector is reserved for
   * another idTag (a tag with the reservation's parentIdTag may use it, OCPP 1.6 5.13).
   */
  async assertCanStart(
    tenantId: string,
    stationId: string,
    connectorId: number,
    idTag: string,
    parentIdTag?: string,
  ): Promise<void> {
    const live = await this.repo.findLive(tenantId, stationId, connectorId, new Date());
    if (!live) return;
    const holder = live.idTag === idTag || (!!parentIdTag && live.parentIdTag === parentIdTag);
    if (!holder) {
      throw new DomainError('CONNECTOR_RESERVED', `Connector ${connectorId} is reserved for another idTag`, {
        reservedUntil: live.expiresAt.toISOString(),
      });
    }
  }

  /**
   * For the session start: the holder's transaction began, so its reservation of the connector, or
   * else of the whole station (connector 0), is used up.
   */
  async markUsed(tenantId: string, stationId: string, connectorId: number, idTag: string): Promise<void> {
    const now = new Date();
    for (const reserved of [connectorId, 0]) {
      const live = await this.repo.findLive(tenantId, stationId, reserved, now);
      if (live?.idTag === idTag) {
        await this.repo.setStatus(tenantId, live.id, 'used');
        return;
      }
    }
  }

  async sweepExpired(now = new Date()): Promise<number> {
    return this.repo.expire(null, now);
  }

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => {
      this.sweepExpired().catch((err: unknown) => this.logger.error({ err }, 'Reservation sweep failed'));
    }, this.config.commands.reservationSweepSeconds * 1000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private async reserve(
    actor: Actor,
    target: CommandTarget & { evseOf: (connectorId: number) => number | null },
    r: Reservation,
  ): Promise<ReservationRow> {
    await this.repo.expire(target.tenantId, new Date(), {
      stationId: target.stationId,
      connectorId: r.connectorId,
    });
    const row = await this.repo.insertPending(target.tenantId, {
      stationId: target.stationId,
      connectorId: r.connectorId,
      idTag: r.idTag,
      parentIdTag: r.parentIdTag ?? null,
      userId: r.userId,
      createdByUserId: actor.userId ?? null,
      expiresAt: r.expiresAt,
    });
    if (!row) {
      throw new DomainError('CONNECTOR_RESERVED', `Connector ${r.connectorId} is already reserved`);
    }
    try {
      const reservation = {
        expiryDate: r.expiresAt.toISOString(),
        idTag: r.idTag,
        ...(r.parentIdTag !== undefined && { parentIdTag: r.parentIdTag }),
        reservationId: row.reservationId,
      };
      // Either protocol answers { status } with Accepted or a refusal (2.0.1 ReserveNowStatusEnumType
      // has the same five values as 1.6).
      const reply =
        protocolOf(target) === 'ocpp2.0.1'
          ? await this.runner.send<{ status: string }>(
              actor,
              target,
              'ReserveNow',
              translate201.reserveNow({ ...reservation, evseId: target.evseOf(r.connectorId) }),
              'ocpp2.0.1',
            )
          : await this.runner.send<{ status: string }>(actor, target, 'ReserveNow', {
              connectorId: r.connectorId,
              ...reservation,
            });
      return this.repo.setStatus(
        row.tenantId,
        row.id,
        reply.status === 'Accepted' ? 'active' : 'rejected',
        reply.status,
      );
    } catch (e) {
      await this.repo.setStatus(row.tenantId, row.id, 'failed');
      throw e;
    }
  }

  private async cancel(
    actor: Actor,
    target: CommandTarget,
    row: ReservationRow,
  ): Promise<{ status: string }> {
    // The same request in both protocols.
    const reply = await this.runner.send<{ status: string }>(
      actor,
      target,
      'CancelReservation',
      { reservationId: row.reservationId },
      protocolOf(target),
    );
    if (reply.status === 'Accepted') await this.repo.setStatus(row.tenantId, row.id, 'cancelled');
    return { status: reply.status };
  }
}
