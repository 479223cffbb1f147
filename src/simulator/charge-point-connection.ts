import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { NOREPLY, RPCClient, createRPCError } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import { CallLog } from './call-log';
import type { TlsOptions } from './diagnostics';
import type { CommandReply, CommandRequest, IncomingAction } from '../ocpp-types/ocpp16';
import {
  type HandlerOutcome,
  type ReceivedCall,
  type ResponseBehaviour,
  type SentCall,
  type SimulatorEvents,
  type TaskFailure,
  isAbortError,
} from './simulator-types';

export interface ConnectionOptions {
  url: string;
  chargePointId: string;
  password?: string;
  tls?: TlsOptions;
  reconnect: boolean;
  callTimeoutMs: number;
  /** The one OCPP-J subprotocol offered (default ocpp1.6). */
  protocol?: 'ocpp1.6' | 'ocpp2.0.1';
}

type DefaultHandler = (params: unknown) => HandlerOutcome | Promise<HandlerOutcome>;

// The longest delay a Node timer accepts; longer delays are re-armed when it fires.
const MAX_TIMER_MS = 2_147_483_647;
const CALLRESULT = 3;

// The OCPP-J side of a charge point: one strict RPC connection (ocpp1.6 or ocpp2.0.1), a record of every call in
// both directions that tests can wait on, overridable answers to the central system's commands,
// and the background work those commands start once they have been answered.
export abstract class ChargePointConnection extends EventEmitter<SimulatorEvents> {
  readonly chargePointId: string;
  readonly failures: TaskFailure[] = [];
  protected readonly sentLog = new CallLog<SentCall>();
  private readonly client: RPCClient;
  private readonly receivedLog = new CallLog<ReceivedCall>();
  private readonly overrides = new Map<string, ResponseBehaviour<IncomingAction>>();
  private readonly followUps = new Map<string, () => Promise<void>>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rawWaiters: { match: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];
  private lifecycle = new AbortController();

  constructor(options: ConnectionOptions) {
    super();
    this.chargePointId = options.chargePointId;
    this.client = this.createClient(options);
  }

  protected abstract defaultHandler(action: string): DefaultHandler | undefined;

  get received(): readonly ReceivedCall[] {
    return this.receivedLog.entries;
  }

  get sent(): readonly SentCall[] {
    return this.sentLog.entries;
  }

  get connected(): boolean {
    return this.client.state === RPCClient.OPEN;
  }

  async connect(): Promise<void> {
    this.lifecycle = new AbortController();
    await this.client.connect();
  }

  // The password of the next handshake (an AuthorizationKey the central system set).
  usePassword(password: string): void {
    this.client.reconfigure({ password } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
  }

  async close({ code = 1000, reason = '' }: { code?: number; reason?: string } = {}): Promise<{
    code?: number;
    reason?: string;
  }> {
    this.teardown();
    return (await this.client.close({ code, reason })) ?? { code, reason };
  }

  async call<T extends object = Record<string, unknown>>(action: string, params: object): Promise<T> {
    const at = new Date();
    const sent = params as Record<string, unknown>;
    try {
      const reply = (await this.client.call(action, params)) as T;
      this.record({ action, params: sent, reply: reply as Record<string, unknown>, at });
      return reply;
    } catch (error) {
      this.record({ action, params: sent, error, at });
      throw error;
    }
  }

  sendRaw(frame: string): void {
    this.client.sendRaw(frame);
  }

  nextRawMessage({
    match = () => true,
    timeoutMs = 5000,
  }: { match?: (frame: string) => boolean; timeoutMs?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (frame: string) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.rawWaiters = this.rawWaiters.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for a raw frame on ${this.chargePointId}`));
      }, timeoutMs);
      this.rawWaiters.push(waiter);
    });
  }

  respond<A extends IncomingAction>(action: A, behaviour: ResponseBehaviour<A>): this {
    if (behaviour === 'default') this.overrides.delete(action);
    else this.overrides.set(action, behaviour as ResponseBehaviour<IncomingAction>);
    return this;
  }

  async waitFor<A extends IncomingAction>(
    action: A,
    predicate: (params: CommandRequest<A>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<CommandRequest<A>> {
    const call = await this.receivedLog.waitFor(
      (c) => c.action === action && predicate(c.params as CommandRequest<A>),
      timeoutMs,
      `${action} on ${this.chargePointId}`,
    );
    return call.params as CommandRequest<A>;
  }

  waitForSent(
    action: string,
    predicate: (call: SentCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SentCall> {
    const describe = `a reply to ${action} from ${this.chargePointId}`;
    return this.sentLog.waitFor((c) => c.action === action && predicate(c), timeoutMs, describe);
  }

  runInBackground(task: string, work: () => Promise<void>): void {
    const running = work()
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        const failure = { task, error, at: new Date() };
        this.failures.push(failure);
        this.emit('taskFailed', failure);
      })
      .finally(() => this.tasks.delete(running));
    this.tasks.add(running);
  }

  // A timer that dies with the connection, for work due at a given time (expiries, retrieveDate).
  schedule(task: string, delayMs: number, work: () => Promise<void>): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (delayMs > MAX_TIMER_MS) this.schedule(task, delayMs - MAX_TIMER_MS, work);
        else this.runInBackground(task, work);
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER_MS),
    );
    this.timers.add(timer);
  }

  // Rejects with an AbortError when the connection closes, which ends the waiting task quietly.
  // The TLS options of the next handshake (a client certificate the central system signed).
  useTls(tls: TlsOptions): void {
    this.client.reconfigure({
      wsOpts: { ...tls, minVersion: 'TLSv1.2' },
    } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
  }

  sleep(ms: number): Promise<void> {
    return delay(ms, undefined, { signal: this.lifecycle.signal });
  }

  // Resolves once every follow-up started so far has finished (scheduled timers excluded).
  async whenIdle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  protected teardown(): void {
    this.lifecycle.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.followUps.clear();
  }

  private createClient({
    url,
    chargePointId,
    password,
    tls,
    reconnect,
    callTimeoutMs,
    protocol = 'ocpp1.6',
  }: ConnectionOptions): RPCClient {
    // The library's typings mark every option as required although all but identity have defaults.
    const clientOptions = {
      endpoint: url.replace(/\/+$/, ''),
      identity: chargePointId,
      protocols: [protocol],
      strictMode: true,
      reconnect,
      callTimeoutMs,
      ...(password !== undefined && { password }),
      ...(tls && { wsOpts: { ...tls, minVersion: 'TLSv1.2' } }),
    } as Partial<RPC_ClientOptions> as RPC_ClientOptions;
    const client = new RPCClient(clientOptions);
    // NOREPLY is a symbol at runtime; the library's handler typing only admits objects.
    client.handle(
      ({ method, params, messageId }) =>
        this.dispatch(method ?? '', params ?? {}, messageId ?? '') as Promise<Record<string, unknown>>,
    );
    client.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
      if (!outbound) this.onRawFrame(message.toString());
    });
    client.on('response', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      const [type, messageId] = payload;
      if (!outbound || typeof messageId !== 'string') return;
      const followUp = this.followUps.get(messageId);
      this.followUps.delete(messageId);
      // 'response' fires just before the frame is written; setImmediate lets the reply go first.
      if (followUp && type === CALLRESULT) {
        setImmediate(() => this.runInBackground(`follow-up of ${messageId}`, followUp));
      }
    });
    client.on('strictValidationFailure', (e: { method: string; error: unknown; outbound: boolean }) => {
      const task = `${e.outbound ? 'outbound' : 'inbound'} ${e.method} failed schema validation`;
      this.failures.push({ task, error: e.error, at: new Date() });
    });
    client.on('open', () => this.emit('open'));
    client.on('close', ({ code, reason }: { code: number; reason: string }) => {
      this.teardown();
      this.emit('close', { code, reason });
    });
    return client;
  }

  private onRawFrame(frame: string): void {
    const waiter = this.rawWaiters.find((w) => w.match(frame));
    if (!waiter) return;
    this.rawWaiters = this.rawWaiters.filter((w) => w !== waiter);
    waiter.resolve(frame);
  }

  private async dispatch(
    action: string,
    params: Record<string, unknown>,
    messageId: string,
  ): Promise<unknown> {
    const call: ReceivedCall = { action, params, at: new Date(), messageId };
    this.receivedLog.push(call);
    this.emit('received', call);
    const useDefault = (): Promise<object> => this.runDefault(action, params, messageId);
    const behaviour = this.overrides.get(action);
    if (behaviour === undefined) return useDefault();
    if (behaviour === 'silent') return NOREPLY;
    if (typeof behaviour !== 'function') return behaviour;
    const context = { messageId, useDefault: useDefault as () => Promise<CommandReply<IncomingAction>> };
    return behaviour(params as unknown as CommandRequest<IncomingAction>, context);
  }

  private async runDefault(
    action: string,
    params: Record<string, unknown>,
    messageId: string,
  ): Promise<object> {
    const handler = this.defaultHandler(action);
    if (!handler) throw createRPCError('NotImplemented', `${this.chargePointId} does not handle ${action}`);
    const outcome = await handler(params);
    if (outcome.followUp) this.followUps.set(messageId, outcome.followUp);
    return outcome.reply;
  }

  private record(call: SentCall): void {
    this.sentLog.push(call);
    this.emit('sent', call);
  }
}
