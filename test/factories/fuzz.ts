import fc from 'fast-check';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import type { TestApp } from '../app';
import { handshake } from './chargers';

/**
 * Shared pieces of the property-based fuzz suites (test/e2e/fuzz-*.e2e-spec.ts): boundary values,
 * a seed that can be replayed, and a watch on the event loop of the process the app runs in.
 */

/**
 * The longest the app may hold the event loop for any one input, in milliseconds. It is measured in
 * wall time, so it leaves room for a shared 2-core machine, where a 100 ms task can take several
 * times that: unbounded work (pricing over centuries, recursion) still shows up as seconds to minutes.
 */
export const STALL_BOUND_MS = 1000;

/** FUZZ_SEED replays a run; without it every run uses the same seed, so the suites are deterministic. */
export const fuzzSeed = (): number => {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return 21;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
  return seed;
};

/** A seed per property (route, action), so adding one does not shift the inputs of the others. */
export const seedFor = (seed: number, name: string): number => {
  let h = seed | 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
};

/** How long a stall may last before the watchdog gives up on the run. */
export const STALL_ABORT_MS = 60_000;

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const tick = new Float64Array(workerData.buffer, 0, 1);
const length = new Int32Array(workerData.buffer, 8, 1);
const label = new Uint8Array(workerData.buffer, 12);
setInterval(() => {
  const stalledMs = Date.now() - tick[0];
  if (stalledMs < workerData.abortMs) return;
  const input = Buffer.from(label.slice(0, length[0])).toString('utf8');
  writeSync(2, '\\nFUZZ WATCHDOG: the event loop has been blocked for ' + Math.round(stalledMs) +
    ' ms (bound ' + workerData.boundMs + ' ms) while handling: ' + input + '\\nEnding the run.\\n');
  process.kill(process.pid, 'SIGKILL');
}, 250);
`;

/**
 * Watches the event loop of this process, where the app under test runs: the longest delay per
 * input, from perf_hooks. A frozen loop cannot fail a test, since no timer fires until it returns
 * (for an unbounded loop, never), so a worker thread also watches the loop's ticks and, past
 * STALL_ABORT_MS, prints the input in flight and ends the process: such a run fails in bounded
 * time and says why.
 */
export class EventLoopWatch {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly buffer = new SharedArrayBuffer(12 + 4096);
  private readonly tick = new Float64Array(this.buffer, 0, 1);
  private readonly length = new Int32Array(this.buffer, 8, 1);
  private readonly label = new Uint8Array(this.buffer, 12);
  private worker?: Worker;
  private timer?: NodeJS.Timeout;

  start(): void {
    this.histogram.enable();
    this.tick[0] = Date.now();
    this.timer = setInterval(() => (this.tick[0] = Date.now()), 100).unref();
    this.worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: { buffer: this.buffer, abortMs: STALL_ABORT_MS, boundMs: STALL_BOUND_MS },
    });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    this.histogram.disable();
    clearInterval(this.timer);
    await this.worker?.terminate();
  }

  /** Names the input about to be handled and starts a new window for takeMaxMs. */
  handling(description: string): void {
    const bytes = Buffer.from(description.slice(0, 1000), 'utf8').subarray(0, this.label.length);
    this.label.set(bytes);
    this.length[0] = bytes.length;
    this.histogram.reset();
  }

  /** The longest delay seen since the last call (or `handling`), in milliseconds; starts a new window. */
  takeMaxMs(): number {
    const max = this.histogram.max / 1e6;
    this.histogram.reset();
    return max;
  }
}

/** A deeply nested array, the shape that overflows recursive transformers. */
export const nested = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

export const LONE_SURROGATE = '\ud800';

/** Strings a database or a decoder may not hold. */
export const boundaryString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      LONE_SURROGATE,
      `x${LONE_SURROGATE}@example.com`,
      '\udfff\ud800',
      '%00',
      '\u202e\u0007\u001b[2J',
      "'; drop table users; --",
      '../../etc/passwd',
      'x'.repeat(10_000),
      'é'.repeat(70_000),
      '😀'.repeat(300),
    ),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  );

/** Numbers past what an int4, an int8 or a float column holds, and numeric strings. */
export const boundaryNumber = (): fc.Arbitrary<unknown> =>
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e-7,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 63,
    1e20,
    -1e20,
    1e308,
    '1e20',
    'NaN',
    'Infinity',
    '-1',
    '2147483648',
    '0x10',
  );

export const BOUNDARY_DATES = [
  '0001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-13-01T25:61:61Z',
  'not-a-date',
];

/** Dates from year 1 to 275760 (the largest a JavaScript Date holds), and ones that are not dates. */
export const boundaryDate = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...BOUNDARY_DATES),
    fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date(8.64e15), noInvalidDate: true })
      .map((d) => d.toISOString()),
  );

/** Cursors a client could forge: well-encoded JSON with the wrong keys, types or values, and junk. */
export const forgedCursor = (): fc.Arbitrary<string> => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return fc.oneof(
    fc.constantFrom(
      b64({ k: 'not-a-date', id: 'not-a-uuid' }),
      b64({ k: '9999-12-31T23:59:59Z', id: '00000000-0000-0000-0000-000000000000' }),
      b64({ k: '+275760-09-13T00:00:00.000Z', id: 'x' }),
      b64({ k: '\u0000', id: '\u0000' }),
      b64({ k: '1e20', id: '2147483648' }),
      b64({ k: "'", id: "' or 1=1 --" }),
      b64({ k: 1, id: 2 }),
      b64([]),
      b64(null),
      'not base64 !!',
      '%00',
      '',
    ),
    fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 40 })).map(([k, id]) => b64({ k, id })),
    fc.base64String({ maxLength: 80 }),
  );
};

/** Structures where a scalar belongs: null, empty and nested containers, 3 000-deep nesting. */
const boundaryStructure = (): fc.Arbitrary<unknown> =>
  fc.constantFrom(null, [], {}, [[[]]], { a: { b: { c: {} } } }, [null], true, 'true', nested(3000));

/** Anything boundary, whatever the field's type. */
export const anyBoundary = (): fc.Arbitrary<unknown> =>
  fc.oneof(boundaryString(), boundaryNumber(), boundaryDate(), boundaryStructure());

/**
 * Percent-encodes a path segment or query value byte for byte. Lone surrogates, which
 * encodeURIComponent refuses, go out as their WTF-8 bytes, the way a careless client sends them.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    const cu = ch.charCodeAt(0);
    if (ch.length === 1 && cu >= 0xd800 && cu <= 0xdfff) {
      out += [0xe0 | (cu >> 12), 0x80 | ((cu >> 6) & 0x3f), 0x80 | (cu & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** A short, printable rendering of a generated value or an answer (head and tail), for failure reports. */
export function shortJson(value: unknown, max = 300): string {
  let text: string | undefined;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) return 'undefined';
  const cut = Math.floor(max / 2);
  return JSON.stringify(
    text.length > max ? `${text.slice(0, cut)}…(${text.length} chars)…${text.slice(-cut)}` : text,
  );
}

/** The CALLERROR codes of OCPP-J 1.6 (section 4.2.3, with the errata's spellings). */
export const OCPP16_ERROR_CODES = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
]);

/** The CALLERROR codes of OCPP-J 2.0.1 (section 4.3). */
export const OCPP201_ERROR_CODES = new Set([
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
]);

export interface RawExchange {
  /** The CALLRESULT or CALLERROR carrying the expected message id, if one came in time. */
  reply?: unknown[];
  /** Set when the socket closed while waiting or right after. */
  closed?: { code: number; reason: string };
}

/**
 * A charger speaking raw OCPP-J over one socket: sends any text and waits for the answer carrying
 * a given message id. CALLs the central system sends on its own are left unanswered.
 */
export class RawCharger {
  private readonly inbox: unknown[][] = [];
  private waiter?: () => void;
  closed?: { code: number; reason: string };

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      try {
        const frame = JSON.parse(data.toString('utf8')) as unknown;
        if (Array.isArray(frame)) this.inbox.push(frame);
      } catch {
        this.inbox.push(['unparseable', data.toString('utf8').slice(0, 200)]);
      }
      this.waiter?.();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.waiter?.();
    });
    ws.on('error', () => undefined);
  }

  static async connect(url: string, protocol: 'ocpp1.6' | 'ocpp2.0.1' = 'ocpp1.6'): Promise<RawCharger> {
    const { status, ws } = await handshake(url, { protocols: [protocol] });
    if (status !== 101 || !ws) throw new Error(`handshake to ${url} answered ${status}`);
    return new RawCharger(ws);
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a frame and waits for the answer with message id `replyId`, for at most `timeoutMs`. */
  async exchange(text: string, replyId: string, timeoutMs: number): Promise<RawExchange> {
    this.inbox.length = 0;
    this.ws.send(text);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.inbox.find((f) => (f[0] === 3 || f[0] === 4) && f[1] === replyId);
      if (reply) return { reply, closed: this.closed };
      if (this.closed) return { closed: this.closed };
      const left = deadline - Date.now();
      if (left <= 0) return {};
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** What a fuzz run over a raw charger checks after each exchange. */
export interface ExchangeRules {
  /** The CALLERROR codes of the charger's protocol. */
  errorCodes: ReadonlySet<string>;
  /** The input must be refused (a CALLERROR), not processed. */
  mustRefuse: boolean;
  timeoutMs: number;
}

/**
 * What went wrong with one exchange of a raw charger; empty when the contract held: an answer in
 * time, a CALLERROR of the protocol that is not InternalError/GenericError (those mean the server
 * failed on charger input), the socket still open, the event loop never held past STALL_BOUND_MS.
 */
export function exchangeProblems(
  x: RawExchange,
  stallMs: number,
  charger: RawCharger,
  rules: ExchangeRules,
): string[] {
  const problems: string[] = [];
  if (!x.reply) {
    problems.push(x.closed ? 'socket closed before an answer' : `no answer within ${rules.timeoutMs} ms`);
  } else if (x.reply[0] === 4) {
    const code = String(x.reply[2]);
    if (!rules.errorCodes.has(code)) problems.push(`CALLERROR ${code} is not a code of the protocol`);
    else if (code === 'InternalError' || code === 'GenericError')
      problems.push(`CALLERROR ${code} for charger input (${shortJson(x.reply[3])})`);
  } else if (rules.mustRefuse) {
    problems.push('processed (CALLRESULT) instead of refused');
  }
  if (x.closed || !charger.open)
    problems.push(`socket closed (${x.closed?.code ?? '?'} ${x.closed?.reason ?? ''})`);
  if (stallMs > STALL_BOUND_MS) problems.push(`event loop stalled ${Math.round(stallMs)} ms`);
  return problems;
}

/** Whether the app still answers its health route; problems, empty when it does. */
export async function healthProblems(http: {
  get(path: string): { timeout(ms: number): PromiseLike<{ status: number }> };
}): Promise<string[]> {
  try {
    const res = await http.get('/api/v1/health').timeout(2000);
    return res.status === 200 ? [] : [`/health answered ${res.status}`];
  } catch (err) {
    return [`/health did not answer: ${(err as Error).message}`];
  }
}

/**
 * Runs a property whose runs report problems (empty: the run held). No shrinking: inputs change
 * the stored state, so a replayed prefix is not the same experiment. The first failing run's
 * problems are the report, with the seed that replays it.
 */
export async function checkRuns<T>(
  seed: number,
  name: string,
  arb: fc.Arbitrary<T>,
  numRuns: number,
  run: (v: T) => Promise<string[]>,
): Promise<string> {
  let failure: string[] = [];
  const result = await fc.check(
    fc.asyncProperty(arb, async (v) => {
      const problems = await run(v);
      if (problems.length > 0) failure = problems;
      return problems.length === 0;
    }),
    { seed: seedFor(seed, name), numRuns, endOnFailure: true },
  );
  if (!result.failed) return '';
  const found = failure.length > 0 ? failure.join('\n') : fc.defaultReportMessage(result);
  return `${found}\n  replay: FUZZ_SEED=${seed} (property seed ${seedFor(seed, name)})`;
}

const HOUR = 3600_000;
const YEAR = 365 * 24 * HOUR;

/** A charger's clock: at 1970, 9999, 2000, or minutes to decades off now. */
export const chargerTimestamp = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2000-01-01T00:00:00.000Z'),
    fc
      .constantFrom(0, -5 * 60_000, 5 * 60_000, -HOUR, HOUR, -24 * HOUR, YEAR, -30 * YEAR)
      .map((offset) => new Date(Date.now() + offset).toISOString()),
  );

/** An OCPP integer: mostly ordinary, half the time at the edges of int4 and 2^53. */
export const chargerInteger = (): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 31)) },
  );

/**
 * Every session of a station, page by page as an admin lists them: how many, the ones with
 * negative energy, cost or estimate, the answers' statuses and the longest event-loop stall
 * while listing.
 */
export async function sessionsAudit(
  t: TestApp,
  auth: Record<string, string>,
  stationId: string,
  watch: EventLoopWatch,
): Promise<{ seen: number; negative: string[]; statuses: number[]; worstStallMs: number }> {
  const negative: string[] = [];
  const statuses: number[] = [];
  let worstStallMs = 0;
  let cursor: string | undefined;
  let seen = 0;
  do {
    watch.handling(`GET /api/v1/sessions?stationId=${stationId}`);
    const res = await t.http
      .get('/api/v1/sessions')
      .query({ stationId, limit: 200, ...(cursor ? { cursor } : {}) })
      .set(auth);
    worstStallMs = Math.max(worstStallMs, watch.takeMaxMs());
    statuses.push(res.status);
    for (const s of (res.body.items ?? []) as Record<string, unknown>[]) {
      seen++;
      const cost = (s.cost as { amountMinor?: number } | null)?.amountMinor;
      const estimate = (s.estimatedCost as { amountMinor?: number } | null)?.amountMinor;
      if ((s.energyWh as number) < 0 || (cost ?? 0) < 0 || (estimate ?? 0) < 0)
        negative.push(
          `session ${s.id as string} (${s.status as string}, transaction ${String(s.transactionId)}): energyWh ${s.energyWh as number}, cost ${cost}, estimate ${estimate}, meterStartWh ${s.meterStartWh as number}, meterStopWh ${s.meterStopWh as number}, ${s.startedAt as string} → ${s.stoppedAt as string}`,
        );
    }
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return { seen, negative, statuses, worstStallMs };
}
