import { Injectable } from '@nestjs/common';
import { and, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { Clock } from '../common/clock';
import { InjectDb } from '../database/database.module';
import { type Db, rowsOf, batchTable } from '../database/database';
import { BURST_LINGER_MS, Batcher } from '../database/batcher';
import { EventBus } from '../events/event-bus';
import type { OcppVersion } from '../common/ocpp-versions';
import { ChargerDirectory, StationPresence, type StationAdmission } from '../ocpp/gateway/charger-directory';
import { TenantsService } from '../tenants/tenants.service';
import { StationRow, connectors, stationPresence, stations } from './stations.tables';

export type RegistrationStatus = StationRow['registrationStatus'];

export interface BootFacts {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
  bootedAt: Date;
}

export interface StatusFacts {
  /** 0 is the station as a whole. */
  connectorId: number;
  status: string;
  errorCode: string;
  info?: string;
  vendorErrorCode?: string;
  statusAt: Date;
}

/** First key of the advisory lock that serializes a tenant's auto-registrations. */
const AUTO_REGISTRATION_LOCK = 7_021;

/** A station coming online (`at`: the connection) or going offline (`at`: last seen, if known). */
interface PresenceChange {
  stationId: string;
  online: boolean;
  at: Date | null;
  /** The subprotocol of the connection coming online. */
  ocppVersion?: OcppVersion;
}

/**
 * The station state that chargers report over OCPP (boot facts, statuses, presence). Written
 * only here; the stations REST module owns the administrative fields. The gateway admits
 * chargers and writes their presence through it (`ChargerDirectory`, `StationPresence`).
 */
@Injectable()
export class ChargerStateService implements ChargerDirectory, StationPresence {
  private readonly admissions = new Batcher<string, StationAdmission | null>(
    (chargePointIds) => this.findAdmissions(chargePointIds),
    { name: 'admission lookup', maxBatchWeight: 1_000, maxQueuedWeight: 100_000, lingerMs: BURST_LINGER_MS },
  );
  private readonly boots = new Batcher<{ stationId: string; facts: BootFacts }, RegistrationStatus>(
    (boots) => this.writeBoots(boots),
    {
      name: 'boot record',
      maxBatchWeight: 1_000,
      maxQueuedWeight: 100_000,
      lingerMs: BURST_LINGER_MS,
      fits: (batch, boot) => !batch.some((b) => b.stationId === boot.stationId),
    },
  );
  private readonly presence = new Batcher<PresenceChange, void>((changes) => this.writePresence(changes), {
    name: 'station presence',
    maxBatchWeight: 1_000,
    maxQueuedWeight: 100_000,
    lingerMs: BURST_LINGER_MS,
    // One change per station per transaction, so a batch's statements never disagree.
    fits: (batch, change) => !batch.some((c) => c.stationId === change.stationId),
  });

  constructor(
    @InjectDb() private readonly db: Db,
    private readonly events: EventBus,
    private readonly tenants: TenantsService,
    private readonly clock: Clock,
  ) {}

  /** Looked up with the other chargers of the same connection burst, in one query. */
  findForAdmission(chargePointId: string): Promise<StationAdmission | null> {
    return this.admissions.run(chargePointId);
  }

  private async findAdmissions(chargePointIds: string[]): Promise<(StationAdmission | null)[]> {
    const rows = await this.db
      .select({
        id: stations.id,
        tenantId: stations.tenantId,
        chargePointId: stations.chargePointId,
        registrationStatus: stations.registrationStatus,
        securityProfile: stations.securityProfile,
        passwordHash: stations.passwordHash,
        previousPasswordHash: stations.previousPasswordHash,
        ocppVersions: stations.ocppVersions,
      })
      .from(stations)
      .where(inArray(stations.chargePointId, [...new Set(chargePointIds)]));
    const byId = new Map(rows.map((r) => [r.chargePointId, r]));
    return chargePointIds.map((id) => byId.get(id) ?? null);
  }

  /**
   * The charger proved the password stored as `current`: store it as `next` (its keyed hash, on
   * the first login after an upgrade) and retire the previous one. Unchanged if an administrator
   * set another password meanwhile.
   */
  async settleCredential(stationId: string, current: string, next: string): Promise<void> {
    await this.db
      .update(stations)
      .set({ passwordHash: next, previousPasswordHash: null })
      .where(and(eq(stations.id, stationId), eq(stations.passwordHash, current)));
  }

  /**
   * An unknown charger of a tenant (null: the default tenant) that is active and allows it:
   * created `pending`, for an admin to accept — unless the tenant already holds `maxPending`
   * pending stations (a flood of made-up ids).
   */
  async autoRegister(
    tenantIdOrDefault: string | null,
    chargePointId: string,
    maxPending: number,
  ): Promise<StationAdmission | 'pending-cap-reached' | null> {
    const tenant = tenantIdOrDefault
      ? await this.tenants.findById(tenantIdOrDefault)
      : await this.tenants.ensureDefaultTenant();
    if (!tenant || tenant.status !== 'active' || !tenant.allowAutoRegistration) return null;
    const tenantId = tenant.id;
    const registered = await this.db.transaction(async (tx) => {
      // One tenant's auto-registrations run one at a time, so concurrent handshakes cannot all
      // pass the cap; the two-key lock space never meets the migrations' one-key lock.
      await tx.execute(sql`select pg_advisory_xact_lock(${AUTO_REGISTRATION_LOCK}, hashtext(${tenantId}))`);
      const [{ pending }] = await tx
        .select({ pending: count() })
        .from(stations)
        .where(and(eq(stations.tenantId, tenantId), eq(stations.registrationStatus, 'pending')));
      if (pending >= maxPending) return false;
      await tx
        .insert(stations)
        .values({ tenantId, chargePointId, registrationStatus: 'pending', securityProfile: 0 })
        .onConflictDoNothing({ target: stations.chargePointId });
      return true;
    });
    if (!registered) return 'pending-cap-reached';
    const found = await this.findForAdmission(chargePointId);
    // A concurrent registration in another tenant wins; this tenant's charger is then unknown.
    return found && found.tenantId === tenantId ? found : null;
  }

  /** Stored with the other boots of the same burst in one UPDATE; answers the registration. */
  recordBoot(stationId: string, facts: BootFacts): Promise<RegistrationStatus> {
    return this.boots.run({ stationId, facts });
  }

  private async writeBoots(boots: { stationId: string; facts: BootFacts }[]): Promise<RegistrationStatus[]> {
    const v = batchTable(
      'v',
      {
        id: 'uuid',
        vendor: 'text',
        model: 'text',
        serial_number: 'text',
        firmware_version: 'text',
        iccid: 'text',
        imsi: 'text',
        meter_type: 'text',
        meter_serial_number: 'text',
        booted_at: 'timestamptz',
      },
      boots.map(({ stationId, facts: f }) => [
        stationId,
        f.vendor,
        f.model,
        f.serialNumber ?? null,
        f.firmwareVersion ?? null,
        f.iccid ?? null,
        f.imsi ?? null,
        f.meterType ?? null,
        f.meterSerialNumber ?? null,
        f.bootedAt,
      ]),
    );
    const rows = rowsOf<{ id: string; registration_status: RegistrationStatus }>(
      await this.db.execute(sql`
        update ${stations} set
          vendor = v.vendor, model = v.model, serial_number = v.serial_number,
          firmware_version = v.firmware_version, iccid = v.iccid, imsi = v.imsi,
          meter_type = v.meter_type, meter_serial_number = v.meter_serial_number,
          last_boot_at = v.booted_at, updated_at = now()
        from ${v}
        where ${stations.id} = v.id
        returning ${stations.id} as id, ${stations.registrationStatus} as registration_status`),
    );
    const status = new Map(rows.map((r) => [r.id, r.registration_status]));
    return boots.map((b) => status.get(b.stationId) ?? 'rejected');
  }

  /**
   * Stores a connector's (or, for connector 0, the station's) status. A report older than the
   * stored one is ignored, so a late retry cannot roll the status back. The event goes out after
   * the commit.
   */
  async recordStatus(tenantId: string, stationId: string, facts: StatusFacts): Promise<void> {
    const now = new Date();
    let changed: boolean;
    if (facts.connectorId === 0) {
      const rows = await this.db
        .update(stations)
        .set({ status: facts.status, errorCode: facts.errorCode, updatedAt: now })
        .where(and(eq(stations.id, stationId), eq(stations.tenantId, tenantId)))
        .returning({ id: stations.id });
      changed = rows.length > 0;
    } else {
      const values = {
        status: facts.status,
        errorCode: facts.errorCode,
        info: facts.info ?? null,
        vendorErrorCode: facts.vendorErrorCode ?? null,
        statusAt: facts.statusAt,
        updatedAt: now,
      };
      const rows = await this.db
        .insert(connectors)
        .values({ tenantId, stationId, connectorId: facts.connectorId, ...values })
        .onConflictDoUpdate({
          target: [connectors.stationId, connectors.connectorId],
          set: values,
          setWhere: or(isNull(connectors.statusAt), sql`${connectors.statusAt} <= ${facts.statusAt}`),
        })
        .returning({ id: connectors.id });
      changed = rows.length > 0;
    }
    if (!changed) return;
    this.events.publish({
      type: 'station.status_changed',
      tenantId,
      stationId,
      data: {
        stationId,
        connectorId: facts.connectorId,
        status: facts.status,
        errorCode: facts.errorCode,
        info: facts.info ?? null,
        statusAt: facts.statusAt.toISOString(),
      },
    });
  }

  async recordFirmwareStatus(stationId: string, status: string): Promise<void> {
    await this.db
      .update(stations)
      .set({ firmwareStatus: status, updatedAt: new Date() })
      .where(eq(stations.id, stationId));
  }

  async recordDiagnosticsStatus(stationId: string, status: string): Promise<void> {
    await this.db
      .update(stations)
      .set({ diagnosticsStatus: status, updatedAt: new Date() })
      .where(eq(stations.id, stationId));
  }

  /**
   * Marks the station online with the subprotocol it connected with, and opens its presence
   * interval (closing a stale one first).
   */
  markOnline(stationId: string, at: Date, ocppVersion: OcppVersion): Promise<void> {
    return this.presence.run({ stationId, online: true, at, ocppVersion });
  }

  /** Marks the station offline and closes its presence interval at the moment of disconnection. */
  markOffline(stationId: string, lastSeenAt: Date | undefined): Promise<void> {
    return this.presence.run({ stationId, online: false, at: lastSeenAt ?? null });
  }

  /**
   * A batch of presence changes (at most one per station) in one transaction: a burst of
   * connections costs five statements, not five per charger.
   */
  private async writePresence(changes: PresenceChange[]): Promise<void[]> {
    const rows = (online: boolean) => changes.filter((c) => c.online === online);
    const on = rows(true).map((c) => [c.stationId, c.at, c.ocppVersion ?? null]);
    const off = rows(false).map((c) => [c.stationId, c.at]);
    const onlines =
      on.length > 0 ? batchTable('v', { id: 'uuid', at: 'timestamptz', version: 'text' }, on) : null;
    const offlines = off.length > 0 ? batchTable('v', { id: 'uuid', at: 'timestamptz' }, off) : null;
    // The interval closes now, by the application's clock, as the reports measure open ones.
    const disconnectedAt = this.clock.now().toISOString();
    await this.db.transaction(async (tx) => {
      if (onlines) {
        await tx.execute(sql`
          update ${stations} set online = true, last_seen_at = v.at,
            ocpp_version = coalesce(v.version, ${stations.ocppVersion}) from ${onlines}
          where ${stations.id} = v.id`);
        await tx.execute(sql`
          update ${stationPresence} set disconnected_at = v.at from ${onlines}
          where ${stationPresence.stationId} = v.id and ${stationPresence.disconnectedAt} is null`);
        await tx.execute(sql`
          insert into ${stationPresence} (tenant_id, station_id, connected_at)
          select ${stations.tenantId}, ${stations.id}, v.at from ${stations} join ${onlines} on ${stations.id} = v.id
          on conflict do nothing`);
      }
      if (offlines) {
        await tx.execute(sql`
          update ${stations} set online = false, last_seen_at = coalesce(v.at, ${stations.lastSeenAt})
          from ${offlines} where ${stations.id} = v.id`);
        await tx.execute(sql`
          update ${stationPresence}
          set disconnected_at = greatest(${stationPresence.connectedAt}, ${disconnectedAt}::timestamptz)
          from ${offlines}
          where ${stationPresence.stationId} = v.id and ${stationPresence.disconnectedAt} is null`);
      }
    });
    return changes.map(() => undefined);
  }

  /**
   * Without a broker this node holds every charger: after a restart none is connected yet. An
   * interval left open by a crash ends at the station's last sign of life.
   */
  async markAllOffline(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(stations).set({ online: false }).where(eq(stations.online, true));
      await tx.execute(sql`
        update ${stationPresence} p
        set disconnected_at = greatest(p.connected_at, coalesce(s.last_seen_at, p.connected_at))
        from ${stations} s
        where s.id = p.station_id and p.disconnected_at is null`);
    });
  }

  /** Writes coalesced lastSeenAt values in one statement; never moves a value backwards. */
  async recordLastSeen(seen: ReadonlyMap<string, Date>): Promise<void> {
    if (seen.size === 0) return;
    const values = batchTable('v', { id: 'uuid', seen_at: 'timestamptz' }, [...seen]);
    await this.db.execute(sql`
      update ${stations} set last_seen_at = v.seen_at
      from ${values}
      where ${stations.id} = v.id and (${stations.lastSeenAt} is null or ${stations.lastSeenAt} < v.seen_at)`);
  }

  /** Any tenant's station: for root only. */
  async exists(stationId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: stations.id }).from(stations).where(eq(stations.id, stationId));
    return !!row;
  }

  async existsInTenant(tenantId: string, stationId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: stations.id })
      .from(stations)
      .where(and(eq(stations.id, stationId), eq(stations.tenantId, tenantId)));
    return !!row;
  }
}
