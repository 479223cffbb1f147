import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { chargePointId, idTagOf, passwordOf } from './db';
import type { Protocol } from './stats';

interface Reply {
  reqId?: number;
  result?: unknown;
  error?: string;
  ready?: boolean;
}

/** One load-generator process (load-worker.ts) and a request/response channel to it. */
class Worker {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(readonly proc: ChildProcess) {
    this.ready = new Promise((resolve) => {
      proc.on('message', (m: Reply) => {
        if (m.ready) return resolve();
        const w = this.waiting.get(m.reqId!);
        this.waiting.delete(m.reqId!);
        if (m.error) w?.reject(new Error(m.error));
        else w?.resolve(m.result);
      });
    });
  }

  request<T>(msg: object): Promise<T> {
    const reqId = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(reqId, { resolve: resolve as (r: unknown) => void, reject });
      this.proc.send({ ...msg, reqId });
    });
  }
}

/** Worker `w` of `n`: up to 8 addresses of its own within 127.0.0.2–254. */
function sourceAddresses(w: number, n: number): string[] {
  const count = Math.min(8, Math.floor(253 / n));
  if (count < 1) throw new Error(`at most 253 load-generator processes, not ${n}`);
  return Array.from({ length: count }, (_, k) => `127.0.0.${2 + w + n * k}`);
}

/**
 * The simulated chargers, spread over `processes` load-generator processes (one process may hold
 * at most 20 000 open files). Each process connects from its own few 127.0.0.x source addresses,
 * in turn (`sourceAddresses`): closed connections hold their source port for a minute (TIME_WAIT), and
 * back-to-back runs of 10 000 chargers ran one address out of its 28 000 ports (EADDRINUSE).
 */
export class LoadClient {
  private constructor(
    private readonly workers: Worker[],
    readonly protocol: Protocol,
  ) {}

  static async start(processes: number, protocol: Protocol = 'ocpp1.6'): Promise<LoadClient> {
    const workers = Array.from(
      { length: processes },
      () =>
        new Worker(
          fork(join(__dirname, 'load-worker.ts'), [], {
            execArgv: ['--max-old-space-size=2048', '-r', 'ts-node/register/transpile-only'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          }),
        ),
    );
    await Promise.all(workers.map((w) => w.ready));
    return new LoadClient(workers, protocol);
  }

  private all<T>(msg: object | ((i: number) => object)): Promise<T[]> {
    return Promise.all(this.workers.map((w, i) => w.request<T>(typeof msg === 'function' ? msg(i) : msg)));
  }

  /**
   * Connects chargers [from, from+count) and boots each; resolves with the wall time and failures.
   * `basicAuth`: each charger sends its password (`passwordOf`) in the handshake.
   */
  async connect(
    url: string,
    count: number,
    opts: { from?: number; concurrency?: number; basicAuth?: boolean } = {},
  ) {
    const from = opts.from ?? 0;
    const n = this.workers.length;
    const t0 = performance.now();
    const parts = await this.all<{ ok: number; failed: number; errors: string[] }>((w) => {
      const idx = Array.from({ length: count }, (_, i) => from + i).filter((i) => i % n === w);
      return {
        cmd: 'connect',
        url,
        protocol: this.protocol,
        ids: idx.map(chargePointId),
        idTags: idx.map(idTagOf),
        passwords: opts.basicAuth ? idx.map(passwordOf) : undefined,
        localAddresses: sourceAddresses(w, n),
        concurrency: Math.ceil((opts.concurrency ?? 500) / n),
      };
    });
    const ms = performance.now() - t0;
    return {
      ms,
      ok: parts.reduce((s, p) => s + p.ok, 0),
      failed: parts.reduce((s, p) => s + p.failed, 0),
      errors: parts.flatMap((p) => p.errors),
    };
  }

  async startTransactions(): Promise<number> {
    const parts = await this.all<{ failed: number }>({ cmd: 'startTx' });
    return parts.reduce((s, p) => s + p.failed, 0);
  }

  /** Every charger sends `action` back to back for `seconds`. */
  async closedLoop(action: 'Heartbeat' | 'MeterValues', seconds: number, values = 10) {
    const parts = await this.all<{ calls: number; errors: number; ms: number; drainMs: number }>({
      cmd: 'closedLoop',
      action,
      seconds,
      values,
    });
    const calls = parts.reduce((s, p) => s + p.calls, 0);
    return {
      calls,
      errors: parts.reduce((s, p) => s + p.errors, 0),
      perSecond: calls / seconds,
      drainMs: Math.max(...parts.map((p) => p.drainMs)),
    };
  }

  /** `rate` calls/s in total at fixed intervals; latency measured from each call's scheduled time. */
  async openLoop(rate: number, seconds: number, meterShare: number, values = 10) {
    const n = this.workers.length;
    const parts = await this.all<{ latencies: number[]; errors: number; sent: number }>({
      cmd: 'openLoop',
      rate: rate / n,
      seconds,
      meterShare,
      values,
    });
    return {
      latencies: parts.flatMap((p) => p.latencies),
      errors: parts.reduce((s, p) => s + p.errors, 0),
      sent: parts.reduce((s, p) => s + p.sent, 0),
    };
  }

  /** Closes every charger's socket; returns the simulated chargers' own handling times (ms). */
  async disconnect(): Promise<number[]> {
    const parts = await this.all<{ chargerOwnNs: number[] }>({ cmd: 'close' });
    return parts.flatMap((p) => p.chargerOwnNs.map((ns) => ns / 1e6));
  }

  stop(): void {
    for (const w of this.workers) w.proc.kill();
  }
}
