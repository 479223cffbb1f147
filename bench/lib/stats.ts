import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export type Engine = 'pglite' | 'postgres';
export type Protocol = 'ocpp1.6' | 'ocpp2.0.1';

export interface BenchArgs {
  engine: Engine;
  /** The OCPP version the simulated chargers speak (both servers serve both). */
  protocol: Protocol;
  runs: number;
  /** Raw `--key value` / `--key=value` flags, for each benchmark's own sizes. */
  flags: Record<string, string>;
}

/** `--engine pglite|postgres --runs 3 --chargers 10000 ...` */
export function parseArgs(argv = process.argv.slice(2)): BenchArgs {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[a.slice(2)] = argv[++i];
    else flags[a.slice(2)] = 'true';
  }
  const engine = (flags.engine ?? 'pglite') as Engine;
  if (engine !== 'pglite' && engine !== 'postgres')
    throw new Error(`--engine pglite|postgres, not ${engine}`);
  const protocol = (flags.protocol ?? 'ocpp1.6') as Protocol;
  if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1')
    throw new Error(`--protocol ocpp1.6|ocpp2.0.1, not ${protocol}`);
  return { engine, protocol, runs: Math.max(1, Number(flags.runs ?? 3)), flags };
}

export const num = (args: BenchArgs, key: string, fallback: number): number =>
  args.flags[key] !== undefined ? Number(args.flags[key]) : fallback;

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs as ArrayLike<number>).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface Row {
  target: string;
  /** Kilowatt ÷ baseline (or the measured figure for absolute targets). */
  ratio: number | null;
  goal: string;
  met: boolean;
  kilowatt: string;
  baseline: string;
}

const fmt = (n: number | null) => (n === null || Number.isNaN(n) ? '—' : n.toFixed(2));

/** Prints the figures, ratio first, and writes bench/results/<name>-<engine>.json. */
export function report(name: string, args: BenchArgs, rows: Row[], figures: Record<string, unknown>): void {
  const table = rows.map((r) => ({
    target: r.target,
    ratio: fmt(r.ratio),
    goal: r.goal,
    met: r.met ? 'yes' : 'NO',
    kilowatt: r.kilowatt,
    baseline: r.baseline,
  }));
  process.stdout.write(
    `\n${name} on ${args.engine}, ${args.protocol} (medians of ${args.runs} alternating runs)\n`,
  );
  console.table(table);
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const suffix = args.protocol === 'ocpp1.6' ? '' : `-${args.protocol}`;
  const file = join(dir, `${name}-${args.engine}${suffix}.json`);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  writeFileSync(
    file,
    JSON.stringify(
      {
        name,
        engine: args.engine,
        protocol: args.protocol,
        runs: args.runs,
        date: new Date().toISOString(),
        machine,
        rows,
        figures,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`figures written to ${file}\n`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
