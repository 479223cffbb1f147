// `npm run bench`: every benchmark, on PGlite and PostgreSQL (or `-- --engine pglite`), one
// process each; extra flags are passed on. Never fails the build: a crashed benchmark is reported.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['memory', 'connect', 'heartbeat', 'latency', 'meter-values', 'rest-roundtrip', 'validation'];
const argv = process.argv.slice(2);
const e = argv.indexOf('--engine');
const engines = e >= 0 ? [argv[e + 1]] : ['pglite', 'postgres'];
const rest = e >= 0 ? [...argv.slice(0, e), ...argv.slice(e + 2)] : argv;
const crashed: string[] = [];
for (const engine of engines) {
  for (const name of BENCHES) {
    const res = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, `${name}.bench.ts`),
        '--engine',
        engine,
        ...rest,
      ],
      { stdio: 'inherit' },
    );
    if (res.status !== 0) crashed.push(`${name} on ${engine}`);
  }
}
if (crashed.length) process.stdout.write(`\nBenchmarks that crashed: ${crashed.join(', ')}\n`);
