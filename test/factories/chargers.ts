import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import type { TestApp } from '../app';
import { theRoot } from './accounts';
import { DB } from '../../src/database/database.module';
import type { Db } from '../../src/database/database';
import { StationRow, connectors, stations } from '../../src/stations/stations.tables';
import { TenantsService } from '../../src/tenants/tenants.service';
import { ChargerSimulator, type ChargerSimulatorOptions } from '../../src/simulator/charger-simulator';

export interface TestStation {
  id: string;
  tenantId: string;
  chargePointId: string;
  password?: string;
}

let seq = 0;
export const uniqueChargePointId = () => `CP${Date.now().toString(36).toUpperCase()}${(seq++).toString(36)}`;

const db = (t: TestApp) => t.app.get<Db>(DB);

/**
 * Registers a station over `POST /api/v1/stations`, as root naming the tenant (the default tenant
 * unless given); a registration status other than `accepted` is then set with PATCH, as an admin
 * would. Profiles 1 and 2 get a generated 24-character password unless one is given.
 */
export async function aStation(
  t: TestApp,
  overrides: {
    tenantId?: string;
    chargePointId?: string;
    securityProfile?: 0 | 1 | 2 | 3;
    password?: string;
    registrationStatus?: StationRow['registrationStatus'];
    ocppVersions?: StationRow['ocppVersions'];
  } = {},
): Promise<TestStation> {
  const root = await theRoot(t);
  const tenantId = overrides.tenantId ?? (await t.app.get(TenantsService).ensureDefaultTenant()).id;
  const securityProfile = overrides.securityProfile ?? 0;
  const password =
    overrides.password ??
    (securityProfile === 1 || securityProfile === 2 ? randomBytes(18).toString('base64url') : undefined);
  const res = await t.http
    .post('/api/v1/stations')
    .set(root.auth)
    .send({
      tenantId,
      chargePointId: overrides.chargePointId ?? uniqueChargePointId(),
      securityProfile,
      password,
      ocppVersions: overrides.ocppVersions,
    })
    .expect(201);
  if (overrides.registrationStatus && overrides.registrationStatus !== 'accepted') {
    await t.http
      .patch(`/api/v1/stations/${res.body.id}`)
      .set(root.auth)
      .send({ registrationStatus: overrides.registrationStatus })
      .expect(200);
  }
  return { id: res.body.id, tenantId, chargePointId: res.body.chargePointId, password };
}

/** The stored station row, for asserting on exactly what the gateway wrote (timestamps as Dates). */
export async function stationRow(t: TestApp, stationId: string): Promise<StationRow> {
  const [row] = await db(t).select().from(stations).where(eq(stations.id, stationId));
  return row;
}

export async function connectorRows(t: TestApp, stationId: string) {
  return db(t)
    .select()
    .from(connectors)
    .where(eq(connectors.stationId, stationId))
    .orderBy(connectors.connectorId);
}

/** The admin accepts a pending (auto-registered) charger over the stations API. */
export async function acceptStation(t: TestApp, stationId: string): Promise<void> {
  const root = await theRoot(t);
  await t.http
    .patch(`/api/v1/stations/${stationId}`)
    .set(root.auth)
    .send({ registrationStatus: 'accepted' })
    .expect(200);
}

/** A simulated charger for the station, connected (and, by default, booted). */
export async function aCharger(
  t: TestApp,
  station: Pick<TestStation, 'chargePointId' | 'password'>,
  opts: Partial<ChargerSimulatorOptions> & { boot?: boolean } = {},
): Promise<ChargerSimulator> {
  const { boot = true, ...options } = opts;
  const charger = new ChargerSimulator({
    url: `${t.wsUrl}/ocpp`,
    chargePointId: station.chargePointId,
    password: station.password,
    meterIntervalMs: 0,
    callTimeoutMs: 5000,
    ...options,
  });
  await charger.connect();
  if (boot) await charger.boot();
  return charger;
}

/**
 * A raw WebSocket handshake: resolves with the HTTP status the server refused it with, or 101
 * when it was accepted (then the socket is returned open, with the negotiated subprotocol).
 */
export function handshake(
  url: string,
  opts: {
    protocols?: string[];
    password?: string;
    identity?: string;
    ca?: string;
    cert?: string;
    key?: string;
    /** More request headers, e.g. X-Forwarded-For as a proxy would add it. */
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; ws?: WebSocket; protocol?: string; retryAfter?: string }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.password !== undefined) {
    const user = opts.identity ?? decodeURIComponent(url.split('/').pop() ?? '');
    headers.Authorization = `Basic ${Buffer.from(`${user}:${opts.password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? ['ocpp1.6'], {
      headers,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}),
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined });
      ws.terminate();
    });
    ws.once('open', () => resolve({ status: 101, ws, protocol: ws.protocol }));
    ws.once('error', (err) => {
      if (ws.readyState === WebSocket.CLOSED) reject(err);
    });
  });
}

/** Polls until `check` passes (it throws until then), for state written asynchronously. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
