import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchDatabase } from './db';

const ROOT = join(__dirname, '..', '..');
export const ROOT_PASSWORD = 'bench-root-password-1234';

export interface Server {
  name: string;
  port: number;
  url: string;
  proc: ChildProcess;
  memory(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

const freePort = (() => {
  let next = 20000 + (process.pid % 5000) * 2;
  return () => next++;
})();

async function launch(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<Server> {
  const port = freePort();
  const proc = fork(join(__dirname, script), [], {
    execArgv: [
      '--expose-gc',
      '--max-old-space-size=4096',
      // BENCH_CPU_PROF=<dir> writes a .cpuprofile of each server for finding bottlenecks.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '-r',
      'ts-node/register/transpile-only',
    ],
    env: { ...process.env, ...env, PORT: String(port), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    cwd: ROOT,
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    });
  });
  proc.removeAllListeners('exit');
  proc.stderr!.on('data', (d: Buffer) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(d);
  });
  return {
    name,
    port,
    url: `ws://127.0.0.1:${port}`,
    proc,
    memory: () =>
      new Promise((resolve) => {
        const on = (m: { type?: string; rss: number; heapUsed: number }) => {
          if (m?.type !== 'memory') return;
          proc.off('message', on);
          resolve(m);
        };
        proc.on('message', on);
        proc.send({ type: 'memory' });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        // Gone already: exited, or ended by a signal (Nest re-raises SIGTERM after its shutdown
        // hooks). A second stop() must not wait for an exit that has happened.
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

export const startBare = () => launch('bare', '../bare-server.ts', {}, /listening on/);

/** Kilowatt from dist/ on the given database; extra env overrides (e.g. OCPP_STRICT_VALIDATION). */
export function startKilowatt(db: BenchDatabase, env: Record<string, string> = {}): Promise<Server> {
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('Build first: npm run build');
  return launch(
    'kilowatt',
    'kilowatt-entry.ts',
    {
      ...db.env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ROOT_PASSWORD,
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE: '1000',
      OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE: '1000000',
      SWAGGER_ENABLED: 'false',
      ...env,
    },
    /Kilowatt is up/,
  );
}

/** Starts Kilowatt once (migrations, root, default tenant), stops it, seeds, and starts it again. */
export async function startSeededKilowatt(
  db: BenchDatabase,
  seed: (db: BenchDatabase) => Promise<void>,
  env: Record<string, string> = {},
): Promise<Server> {
  const first = await startKilowatt(db, env);
  await first.stop();
  await seed(db);
  await db.release();
  return startKilowatt(db, env);
}
