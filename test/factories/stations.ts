import type { TestApp } from '../app';
import { uniqueName, type TestAccount } from './accounts';
import { StationsRepository, type ConnectorStatusReport } from '../../src/stations/stations.repository';

type Body = Record<string, unknown>;

/** A site created over HTTP by an admin; valid defaults, any field overridable. */
export async function aSite(
  t: TestApp,
  admin: TestAccount,
  overrides: Body = {},
): Promise<Body & { id: string }> {
  const res = await t.http
    .post('/api/v1/sites')
    .set(admin.auth)
    .send({
      name: uniqueName('Site '),
      timeZone: 'Europe/Berlin',
      latitude: 52.52,
      longitude: 13.405,
      ...overrides,
    })
    .expect(201);
  return res.body;
}

let cp = 0;
export const aChargePointId = () => `CP${Date.now().toString(36).toUpperCase()}${(cp++).toString(36)}`;

/** A station registered over HTTP by an admin (security profile 0 unless overridden). */
export async function aStation(
  t: TestApp,
  admin: TestAccount,
  overrides: Body = {},
): Promise<Body & { id: string; chargePointId: string }> {
  const res = await t.http
    .post('/api/v1/stations')
    .set(admin.auth)
    .send({ chargePointId: aChargePointId(), ...overrides })
    .expect(201);
  return res.body;
}

/**
 * Stands in for the charger: writes a connector's live status as a StatusNotification would,
 * through the stations module's own repository (no OCPP socket needed for these specs).
 */
export async function withConnectorStatus(
  t: TestApp,
  stationId: string,
  connectorId: number,
  status: string,
  extra: Partial<ConnectorStatusReport> = {},
): Promise<void> {
  const repo = t.app.get(StationsRepository);
  const station = await repo.findById(null, stationId);
  if (!station) throw new Error(`no station ${stationId}`);
  await repo.upsertConnectorStatus(station.tenantId, station.id, connectorId, { status, ...extra });
}

/** A connector with a live status and, optionally, its type and power (set over HTTP). */
export async function aConnector(
  t: TestApp,
  admin: TestAccount,
  stationId: string,
  connectorId: number,
  opts: { status?: string; type?: string; maxPowerW?: number } = {},
): Promise<void> {
  if (opts.type !== undefined || opts.maxPowerW !== undefined) {
    await t.http
      .patch(`/api/v1/stations/${stationId}/connectors/${connectorId}`)
      .set(admin.auth)
      .send({ type: opts.type, maxPowerW: opts.maxPowerW })
      .expect(200);
  }
  await withConnectorStatus(t, stationId, connectorId, opts.status ?? 'Available');
}

/** A tariff created over HTTP by an admin. */
export async function aTariff(
  t: TestApp,
  admin: TestAccount,
  overrides: Body = {},
): Promise<Body & { id: string }> {
  const res = await t.http
    .post('/api/v1/tariffs')
    .set(admin.auth)
    .send({ name: uniqueName('Tariff '), currency: 'EUR', energyPerKwhMinor: 35, ...overrides })
    .expect(201);
  return res.body;
}
