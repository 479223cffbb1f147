// Target 5: MeterValues (10 sampled values each) stored, sustained; stored rows/s against the
// raw driver's multi-row INSERT rate of the same engine; rows lost; time to drain after the load.
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BenchDatabase } from './lib/db';
import { main, medianOf, rig } from './lib/harness';
import { BenchArgs, num, parseArgs, report, sleep } from './lib/stats';

const RAW_TABLE = `create table raw_meter_values (
  id bigserial primary key, session_id uuid not null, at timestamptz not null, measurand text not null,
  phase text, location text, context text not null, unit text not null, value double precision not null)`;

/** The raw driver's multi-row INSERT rate (rows/s), one connection, `batch` rows per statement. */
async function rawInsertRate(
  args: BenchArgs,
  db: BenchDatabase,
  seconds: number,
  batch: number,
): Promise<number> {
  let dir: string | null = null;
  let exec: (sql: string, params?: unknown[]) => Promise<unknown>;
  let close: () => Promise<void>;
  if (args.engine === 'pglite') {
    dir = mkdtempSync(join(tmpdir(), 'kilowatt-raw-'));
    const pg = new PGlite(dir);
    exec = (s, p) => pg.query(s, p);
    close = () => pg.close();
  } else {
    const c = new Client({ connectionString: db.env.DATABASE_URL });
    await c.connect();
    exec = (s, p) => c.query(s, p);
    close = () => c.end();
  }
  await exec(RAW_TABLE);
  await exec('create index on raw_meter_values (session_id, at)');
  const session = '00000000-0000-4000-8000-000000000001';
  const cols = 8;
  const placeholders = Array.from(
    { length: batch },
    (_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(',')})`,
  ).join(',');
  const sql = `insert into raw_meter_values (session_id, at, measurand, phase, location, context, unit, value) values ${placeholders}`;
  let rows = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const at = new Date().toISOString();
    const params: unknown[] = [];
    for (let r = 0; r < batch; r++)
      params.push(session, at, 'Voltage', 'L1', null, 'Sample.Periodic', 'V', 230 + r);
    await exec(sql, params);
    rows += batch;
  }
  const rate = (rows / (performance.now() - t0)) * 1000;
  await exec('drop table raw_meter_values');
  await close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  return rate;
}

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 200);
  const seconds = num(args, 'seconds', 60);
  const values = num(args, 'values', 10);
  const rawSeconds = num(args, 'raw-seconds', 10);
  const r = await rig(args, { chargers, bare: false });
  const runs: { rowsPerSecond: number; drainMs: number; errors: number; acked: number }[] = [];
  const raw: number[] = [];
  try {
    const c = await r.client.connect(r.kilowatt.url, chargers);
    if (c.failed) throw new Error(`${c.failed} chargers failed to boot: ${c.errors.join('; ')}`);
    const txFailed = await r.client.startTransactions();
    if (txFailed) throw new Error(`${txFailed} StartTransaction refused`);
    for (let i = 0; i < args.runs; i++) {
      // Alternating: raw first on even runs, Kilowatt first on odd ones (PGlite raw runs in this process).
      const rawFirst = i % 2 === 0;
      if (rawFirst) raw.push(await rawInsertRate(args, r.db, rawSeconds, 500));
      const res = await r.client.closedLoop('MeterValues', seconds, values);
      runs.push({
        rowsPerSecond: res.perSecond * values,
        drainMs: res.drainMs,
        errors: res.errors,
        acked: res.calls,
      });
      process.stdout.write(`  run ${i + 1} kilowatt: ${JSON.stringify(runs[i])}\n`);
      if (!rawFirst) raw.push(await rawInsertRate(args, r.db, rawSeconds, 500));
      process.stdout.write(`  run ${i + 1} raw insert: ${raw[i].toFixed(0)} rows/s\n`);
      await sleep(1000);
    }
    await r.client.disconnect();
    await r.kilowatt.stop();
    const [row] = await r.db.query<{ n: string }>('select count(*)::text as n from meter_values');
    const stored = Number(row.n);
    // Each 2.0.1 transaction's Started event also stored one reading (its Transaction.Begin register).
    const startReadings = args.protocol === 'ocpp2.0.1' ? chargers : 0;
    const acked = runs.reduce((s, x) => s + x.acked, 0) * values + startReadings;
    const kw = medianOf(runs, (x) => x.rowsPerSecond);
    const base = medianOf(raw, (x) => x);
    const drain = Math.max(...runs.map((x) => x.drainMs));
    report(
      'meter-values',
      args,
      [
        {
          target: '5. stored meter rows/s',
          ratio: kw / base,
          goal: '≥ 0.3',
          met: kw / base >= 0.3,
          kilowatt: `${kw.toFixed(0)} rows/s`,
          baseline: `${base.toFixed(0)} rows/s (raw 500-row INSERTs)`,
        },
        {
          target: '5. rows lost / drain',
          ratio: null,
          goal: '0 lost, drained ≤ 5 s',
          met: stored === acked && drain <= 5000,
          kilowatt: `${acked - stored} lost of ${acked} acked; drained in ${(drain / 1000).toFixed(2)} s`,
          baseline: '—',
        },
      ],
      { chargers, seconds, values, rawSeconds, runs, raw, acked, stored },
    );
  } finally {
    await r.close();
  }
});
