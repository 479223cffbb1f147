/**
 * Lists the tenant's stations through a signed (and, with an encryption key, encrypted) request and
 * checks the response signature. Run with Node 20+:
 *
 *   KILOWATT_URL=http://localhost:3000 KILOWATT_API_KEY=kw_… KILOWATT_SIGNING_KEY=… \
 *   KILOWATT_ENCRYPTION_KEY=… npx ts-node examples/typescript-client/list-stations.ts
 */
import { KilowattClient } from './kilowatt-client';

async function main(): Promise<void> {
  const env = process.env;
  if (!env.KILOWATT_API_KEY)
    throw new Error('Set KILOWATT_API_KEY (and KILOWATT_SIGNING_KEY / KILOWATT_ENCRYPTION_KEY)');
  const client = new KilowattClient({
    baseUrl: env.KILOWATT_URL ?? 'http://localhost:3000',
    apiKey: env.KILOWATT_API_KEY,
    signingKey: env.KILOWATT_SIGNING_KEY,
    encryptionKey: env.KILOWATT_ENCRYPTION_KEY,
  });
  const res = await client.request<{ items: Array<{ chargePointId: string; online: boolean }> }>(
    'GET',
    '/api/v1/stations?limit=50',
  );
  if (res.verified === false) throw new Error('The response signature does not verify: do not trust it');
  console.log(res.status, JSON.stringify(res.body, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
