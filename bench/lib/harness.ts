import { BenchArgs, median } from './stats';
import { BasicAuthSeed, BenchDatabase, createDatabase, seedChargers } from './db';
import { LoadClient } from './load-client';
import { Server, startBare, startSeededKilowatt } from './servers';

export interface Rig {
  db: BenchDatabase;
  kilowatt: Server;
  bare: Server | null;
  client: LoadClient;
  close(): Promise<void>;
}

/** A seeded Kilowatt (and the bare baseline unless `bare: false`) plus load-generator processes. */
export async function rig(
  args: BenchArgs,
  opts: {
    chargers: number;
    bare?: boolean;
    env?: Record<string, string>;
    processes?: number;
    basicAuth?: BasicAuthSeed;
  },
): Promise<Rig> {
  const db = await createDatabase(args.engine);
  const env = { ...opts.env, ...(opts.basicAuth && { CHARGER_CREDENTIAL_PEPPER: opts.basicAuth.pepper }) };
  const kilowatt = await startSeededKilowatt(db, (d) => seedChargers(d, opts.chargers, opts.basicAuth), env);
  const bare = opts.bare === false ? null : await startBare();
  const client = await LoadClient.start(
    opts.processes ?? Math.max(2, Math.ceil(opts.chargers / 5000)),
    args.protocol,
  );
  return {
    db,
    kilowatt,
    bare,
    client,
    async close() {
      client.stop();
      await Promise.all([kilowatt.stop(), bare?.stop()]);
      // Cleanup never holds the figures hostage: give up on a stuck drop after 15 s.
      await Promise.race([db.drop(), new Promise((r) => setTimeout(r, 15_000).unref())]);
    },
  };
}

/**
 * Runs `measure` against each server `runs` times, alternating which goes first, and returns the
 * per-server figures; the caller takes medians.
 */
export async function alternate<T>(
  runs: number,
  servers: Server[],
  measure: (s: Server, run: number) => Promise<T>,
): Promise<Map<Server, T[]>> {
  const out = new Map<Server, T[]>(servers.map((s) => [s, []]));
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) {
      const fig = await measure(s, r);
      out.get(s)!.push(fig);
      process.stdout.write(`  run ${r + 1} ${s.name}: ${JSON.stringify(fig)}\n`);
    }
  }
  return out;
}

export const medianOf = <T>(xs: T[], pick: (x: T) => number) => median(xs.map(pick));

/** Runs a benchmark's main and exits non-zero only on a crash (benchmarks never fail a build). */
export function main(fn: () => Promise<void>): void {
  fn().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
