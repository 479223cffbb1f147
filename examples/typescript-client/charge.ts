/**
 * A driver's charge, typed end to end by the types openapi-typescript generates from Kilowatt's
 * OpenAPI document (`kilowatt-api.d.ts`) and the openapi-fetch client: log in, find the station,
 * start charging, stop, wait for the bill. Run with Node 20+:
 *
 *   KILOWATT_URL=http://localhost:3000 KILOWATT_USER=alice KILOWATT_PASSWORD=… \
 *   npx ts-node examples/typescript-client/charge.ts CP001 1 30
 */
import createClient, { type Client } from 'openapi-fetch';
import { randomUUID } from 'node:crypto';
import type { components, paths } from './kilowatt-api';

export type Kilowatt = Client<paths>;
export type Session = components['schemas']['SessionResponse'];

/** A client that sends the access token of a login with every request. */
export async function logIn(baseUrl: string, username: string, password: string): Promise<Kilowatt> {
  const kw = createClient<paths>({ baseUrl });
  const { data, error } = await kw.POST('/api/v1/auth/login', { body: { username, password } });
  if (!data) throw new Error(`Login refused: ${error?.code} ${error?.message}`);
  kw.use({
    onRequest: ({ request }) => {
      request.headers.set('Authorization', `Bearer ${data.accessToken}`);
      return request;
    },
  });
  return kw;
}

/** Starts charging on a connector of the station, waits, stops, and answers the settled session. */
export async function charge(
  kw: Kilowatt,
  chargePointId: string,
  connectorId: number,
  chargeMs: number,
): Promise<Session> {
  const stations = await kw.GET('/api/v1/stations', { params: { query: { limit: 100 } } });
  const station = stations.data?.items.find((s) => s.chargePointId === chargePointId);
  if (!station) throw new Error(`No station ${chargePointId} visible to this account`);
  if (!station.online) throw new Error(`${chargePointId} is offline`);

  // The same Idempotency-Key on a retry answers the first attempt's outcome: no second session.
  const started = await kw.POST('/api/v1/sessions', {
    body: { stationId: station.id, connectorId },
    params: { header: { 'Idempotency-Key': randomUUID() } },
  });
  if (!started.data) throw new Error(`Start refused: ${started.error?.code} ${started.error?.message}`);
  const id = started.data.id;

  await new Promise((resolve) => setTimeout(resolve, chargeMs));
  const stopped = await kw.POST('/api/v1/sessions/{id}/stop', { params: { path: { id } } });
  if (!stopped.data) throw new Error(`Stop refused: ${stopped.error?.code} ${stopped.error?.message}`);
  // The charger accepted the stop; the session completes (and is billed) once it reports the
  // transaction's end, normally within seconds.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const { data } = await kw.GET('/api/v1/sessions/{id}', { params: { path: { id } } });
    if (data && (data.status === 'completed' || data.status === 'failed')) return data;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Session ${id} did not complete within 30 s`);
}

async function main(): Promise<void> {
  const env = process.env;
  const [chargePointId, connector = '1', seconds = '30'] = process.argv.slice(2);
  if (!chargePointId || !env.KILOWATT_USER || !env.KILOWATT_PASSWORD)
    throw new Error(
      'Usage: KILOWATT_USER=… KILOWATT_PASSWORD=… charge.ts <chargePointId> [connectorId] [seconds]',
    );
  const kw = await logIn(
    env.KILOWATT_URL ?? 'http://localhost:3000',
    env.KILOWATT_USER,
    env.KILOWATT_PASSWORD,
  );
  const session = await charge(kw, chargePointId, Number(connector), Number(seconds) * 1000);
  console.log(session.status, session.energyWh, 'Wh', session.cost?.amountMinor, session.cost?.currency);
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
