import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { keyedHash } from '../../src/ocpp/gateway/charger-credentials';
import type { Engine } from './stats';

export const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throw-away database of one engine: a PGlite folder, or a fresh PostgreSQL database. */
export interface BenchDatabase {
  engine: Engine;
  /** Environment for Kilowatt to use it. */
  env: Record<string, string>;
  /** Runs SQL on it while no server holds it (PGlite is single-process). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Releases the bench's own connection (PGlite: before a server opens the folder). */
  release(): Promise<void>;
  drop(): Promise<void>;
}

export async function createDatabase(engine: Engine): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kilowatt-bench-'));
  if (engine === 'pglite') {
    const dir = join(dataDir, 'pglite');
    let db: PGlite | null = null;
    return {
      engine,
      env: { DATA_DIR: dataDir, PGLITE_DIR: dir },
      async query<T>(sql: string, params: unknown[] = []) {
        db ??= new PGlite(dir);
        return (await db.query<T>(sql, params)).rows;
      },
      async release() {
        await db?.close();
        db = null;
      },
      async drop() {
        await db?.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `kilowatt_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let client: Client | null = null;
  return {
    engine,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    async query<T>(sql: string, params: unknown[] = []) {
      if (!client) {
        client = new Client({ connectionString: url.toString() });
        await client.connect();
      }
      return (await client.query(sql, params)).rows as T[];
    },
    async release() {
      await client?.end();
      client = null;
    },
    async drop() {
      await client?.end();
      client = null;
      const a = new Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const chargePointId = (i: number) => `BENCH${String(i).padStart(6, '0')}`;
export const idTagOf = (i: number) => `BT${String(i).padStart(6, '0')}`;
/** A charger's password (security profile 1): 40 hex digits, as a CSMS-issued AuthorizationKey. */
export const passwordOf = (i: number) =>
  createHash('sha256').update(`bench-charger-${i}`).digest('hex').slice(0, 40);

/** Chargers with passwords: profile 1, each password under the keyed hash of this pepper. */
export interface BasicAuthSeed {
  pepper: string;
}

/**
 * Registers `count` accepted stations (profile 0, or 1 with `basicAuth`; one Available connector),
 * an idTag per station and a tenant-wide tariff in the default tenant, in a few set-based
 * statements.
 */
export async function seedChargers(
  db: BenchDatabase,
  count: number,
  basicAuth?: BasicAuthSeed,
): Promise<void> {
  const [tenant] = await db.query<{ id: string }>('select id from tenants order by created_at limit 1');
  if (!tenant) throw new Error('no tenant: start Kilowatt once before seeding');
  await db.query(
    `insert into stations (tenant_id, charge_point_id, registration_status)
     select $1, 'BENCH' || lpad(g::text, 6, '0'), 'accepted' from generate_series(0, $2 - 1) g`,
    [tenant.id, count],
  );
  if (basicAuth) {
    const ids = Array.from({ length: count }, (_, i) => chargePointId(i));
    const hashes = ids.map((_, i) => keyedHash(basicAuth.pepper, passwordOf(i)));
    await db.query(
      `update stations set security_profile = 1, password_hash = v.hash
       from unnest($1::text[], $2::text[]) as v(id, hash) where charge_point_id = v.id`,
      [ids, hashes],
    );
  }
  await db.query(
    `insert into connectors (tenant_id, station_id, connector_id, status)
     select tenant_id, id, 1, 'Available' from stations where charge_point_id like 'BENCH%'`,
  );
  await db.query(
    `insert into id_tags (tenant_id, id_tag, kind)
     select $1, 'BT' || lpad(g::text, 6, '0'), 'rfid' from generate_series(0, $2 - 1) g`,
    [tenant.id, count],
  );
  await db.query(
    `insert into tariffs (tenant_id, name, currency, energy_per_kwh_minor) values ($1, 'Bench', 'EUR', 30)`,
    [tenant.id],
  );
}
