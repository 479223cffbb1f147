/**
 * Times the main report queries over a generated year of sessions, on PGlite and on PostgreSQL.
 * Not a test, never run in CI:
 *   npx ts-node --transpile-only bench/reports.bench.ts [--engine pglite|postgres] [--sessions 1000000]
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 * database is created and dropped (kept with --keep). Results: bench/results/reports-<engine>.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Clock } from '../src/common/clock';
import { openDatabase, type DatabaseHandle } from '../src/database/database';
import { ReportsQueries, type ReportScope } from '../src/reports/reports.queries';
import { composeSummary } from '../src/reports/summary-rows';
import { generateYear, rowsOf } from './reports-data';
import { sql } from 'drizzle-orm';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const engine = arg('engine', 'pglite');
const sessions = Number(arg('sessions', '1000000'));
const RUNS = 3;
const keep = process.argv.includes('--keep');
const log = (m: string) => console.log(m);

async function open(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    return {
      handle: await openDatabase({ kind: 'pglite', dataDir: 'memory://' }),
      drop: async () => undefined,
    };
  }
  if (engine !== 'postgres') throw new Error(`--engine must be pglite or postgres, not ${engine}`);
  const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `kw_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  return {
    handle,
    drop: async () => {
      if (keep) return log(`  kept database ${name}`);
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function timeIt(work: () => Promise<unknown>): Promise<{ medianMs: number; runsMs: number[] }> {
  const runsMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await work();
    runsMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { medianMs: Math.round(sorted[Math.floor(RUNS / 2)]), runsMs: runsMs.map(Math.round) };
}

async function main(): Promise<void> {
  const start = new Date('2025-01-01T00:00:00Z');
  log(`reports bench: ${engine}, ${sessions} sessions over a year, 500 stations`);
  const { handle, drop } = await open();
  try {
    const began = Date.now();
    const tenantId = await generateYear(
      handle.db,
      { sessions, stations: 500, sites: 50, users: 5000, start },
      log,
    );
    const generateSeconds = Math.round((Date.now() - began) / 100) / 10;
    log(`  generated in ${generateSeconds} s`);
    const [user] = rowsOf<{ user_id: string }>(
      await handle.db.execute(
        sql`select user_id from charging_sessions where tenant_id = ${tenantId} and user_id is not null limit 1`,
      ),
    );
    const q = new ReportsQueries(handle.db, new Clock());
    const year: ReportScope = {
      tenantId,
      from: start,
      to: new Date('2026-01-01T00:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    const march: ReportScope = {
      ...year,
      from: new Date('2025-03-01T00:00:00Z'),
      to: new Date('2025-04-01T00:00:00Z'),
    };
    const cases: [string, () => Promise<unknown>][] = [
      ['summary year by day', () => composeSummary(q, year, 'day')],
      ['summary year by month', () => composeSummary(q, year, 'month')],
      ['summary year by station', () => composeSummary(q, year, 'station')],
      ['summary year by user', () => composeSummary(q, year, 'user')],
      ['summary March by day', () => composeSummary(q, march, 'day')],
      ['habits year (tenant)', () => q.habits(year)],
      ['habits year (one user)', () => q.habits({ ...year, userId: user.user_id })],
      ['habits March (tenant)', () => q.habits(march)],
    ];
    const results: { query: string; medianMs: number; runsMs: number[] }[] = [];
    for (const [name, work] of cases) {
      const r = await timeIt(work);
      results.push({ query: name, ...r });
      log(`  ${name.padEnd(26)} ${String(r.medianMs).padStart(7)} ms   (runs ${r.runsMs.join(', ')})`);
    }
    console.table(results.map((r) => ({ query: r.query, 'median ms': r.medianMs })));
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `reports-${engine}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        { engine, sessions, stations: 500, runs: RUNS, generateSeconds, at: new Date(), results },
        null,
        2,
      ),
    );
    log(`  written ${file}`);
  } finally {
    await handle.close();
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
