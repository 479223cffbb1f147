import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { DatabaseSettings } from '../config/app-config';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the modules see, whichever engine is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A repository method accepts either the database or an open transaction. */
export type DbOrTx = Db | Tx;

/** The rows of a raw `execute`: node-postgres and PGlite answer `{ rows }`, older drivers an array. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/**
 * `unnest($1::type[], …) as name(col, …)`: a batch of rows as a table, one array parameter per
 * column, to join to a table by key. The planner counts the rows in the arrays and uses the index,
 * where `json_to_recordset` is costed at 100 rows and gets a hash join over the whole table. A
 * `VALUES` list of one parameter per cell plans as well, but drizzle's building of ten thousand
 * parameters (a burst of 1 000 boots) took a fifth of the process's CPU while chargers connected.
 */
export function batchTable(name: string, columns: Record<string, string>, rows: unknown[][]): SQL {
  const arrays = Object.values(columns).map((type, i) => {
    const values = rows.map((row) => (row[i] instanceof Date ? row[i].toISOString() : row[i]));
    return sql`${sql.param(values)}::${sql.raw(type)}[]`;
  });
  return sql`unnest(${sql.join(arrays, sql`, `)}) as ${sql.raw(name)}(${sql.raw(Object.keys(columns).join(', '))})`;
}

/**
 * Statements a repository builds once and then runs with `sql.placeholder` values. Drizzle builds
 * a statement's SQL text again on every call; on the per-request paths (authentication, starting
 * and stopping a session) that was 28 % of the process's CPU in the REST round-trip bench.
 * On PostgreSQL each is also a named server-side statement, parsed once per connection. A name
 * stands for exactly one SQL text: every choice a builder makes (a tenant filter or none, say)
 * must be part of its name.
 */
export class PreparedStatements {
  private readonly built = new Map<string, unknown>();

  constructor(private readonly prefix: string) {}

  get<Q extends { prepare(name: string): unknown }>(name: string, build: () => Q): ReturnType<Q['prepare']> {
    let statement = this.built.get(name);
    if (statement === undefined) {
      statement = build().prepare(`${this.prefix}_${name}`);
      this.built.set(name, statement);
    }
    return statement as ReturnType<Q['prepare']>;
  }
}

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseSettings['kind'];
  close(): Promise<void>;
}

const MIGRATIONS = join(__dirname, 'migrations');
/** Serialises migrations when several nodes start against one PostgreSQL at once. */
const MIGRATION_LOCK = 7_426_001;

/** Called with each statement's duration in seconds. */
export type QueryObserver = (seconds: number) => void;

type Queryable = { query: (...args: never[]) => unknown };

/**
 * Times every statement `target.query` runs, whether the driver calls it with a callback (pg's
 * pool) or awaits the promise (drizzle). A cursor or stream query is not timed.
 */
function timeQueries(target: Queryable, method: 'query' | 'exec', observe: QueryObserver): void {
  const original = (target as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
  if (typeof original !== 'function') return;
  (target as unknown as Record<string, unknown>)[method] = function timed(this: unknown, ...args: unknown[]) {
    const start = performance.now();
    const done = () => observe((performance.now() - start) / 1000);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = function (this: unknown, ...results: unknown[]) {
        done();
        return (last as (...a: unknown[]) => unknown).apply(this, results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
}

function timePglite(client: PGlite, observe: QueryObserver): void {
  timeQueries(client, 'query', observe);
  timeQueries(client, 'exec', observe);
  const transaction = client.transaction.bind(client);
  client.transaction = (callback) =>
    transaction((tx) => {
      timeQueries(tx, 'query', observe);
      timeQueries(tx, 'exec', observe);
      return callback(tx);
    });
}

export async function openDatabase(
  settings: DatabaseSettings,
  observe?: QueryObserver,
): Promise<DatabaseHandle> {
  if (settings.kind === 'pglite') {
    if (!settings.dataDir.startsWith('memory://')) mkdirSync(settings.dataDir, { recursive: true });
    const client = await PGlite.create(settings.dataDir);
    if (observe) timePglite(client, observe);
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS });
    return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
  }
  const pool = new Pool({ connectionString: settings.url, max: settings.poolSize });
  // An idle connection the server ends (restart, failover, pg_terminate_backend) emits 'error' on
  // the pool; without a listener that would crash the process. The pool replaces the client.
  pool.on('error', (err) => new Logger('Database').warn(`Idle PostgreSQL connection lost: ${err.message}`));
  // Every statement runs on a pooled client, the pool's own `query` included.
  if (observe) pool.on('connect', (client) => timeQueries(client, 'query', observe));
  const db = drizzlePg({ client: pool, schema });
  const lockClient = await pool.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client: lockClient, schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
  }
  return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
