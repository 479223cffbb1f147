import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { CallLog } from './call-log';
import { ChargerSimulator } from './charger-simulator';
import type { ChargerSimulatorOptions } from './simulator-types';

// A bare strict ocpp1.6 RPCServer standing in for the CSMS in the simulator's own specs.

export interface ServerCall {
  identity: string;
  action: string;
  params: Record<string, unknown>;
}

type Reply = Record<string, unknown>;
type ServerHandler = (params: Record<string, unknown>, identity: string) => Reply;

export interface TestCentralSystem {
  url: string;
  calls: ServerCall[];
  passwords: Map<string, string | undefined>;
  client(identity: string, timeoutMs?: number): Promise<RPCServerClient>;
  waitForCall(
    action: string,
    predicate?: (params: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Reply>;
  callsOf(action: string): Reply[];
  close(): Promise<void>;
}

export async function startCentralSystem(
  overrides: Record<string, ServerHandler> = {},
): Promise<TestCentralSystem> {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, callTimeoutMs: 5000 });
  const log = new CallLog<ServerCall>();
  const clients = new CallLog<{ identity: string; client: RPCServerClient }>();
  const passwords = new Map<string, string | undefined>();
  let nextTransactionId = 1000;
  const now = (): string => new Date().toISOString();
  const handlers: Record<string, ServerHandler> = {
    BootNotification: () => ({ status: 'Accepted', interval: 300, currentTime: now() }),
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: () => ({}),
    Authorize: ({ idTag }) => ({ idTagInfo: { status: idTag === 'TAG-OK' ? 'Accepted' : 'Invalid' } }),
    StartTransaction: ({ idTag }) => ({
      transactionId: nextTransactionId++,
      idTagInfo: { status: idTag === 'TAG-BLOCKED' ? 'Blocked' : 'Accepted' },
    }),
    StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
    MeterValues: () => ({}),
    DiagnosticsStatusNotification: () => ({}),
    FirmwareStatusNotification: () => ({}),
    DataTransfer: () => ({ status: 'Accepted' }),
    ...overrides,
  };

  server.auth((accept, _reject, handshake) => {
    passwords.set(handshake.identity, handshake.password?.toString('utf8'));
    accept({});
  });
  server.on('client', (client: RPCServerClient) => {
    const identity = client.identity ?? '';
    for (const [action, handler] of Object.entries(handlers)) {
      client.handle(action, async ({ params }) => {
        log.push({ identity, action, params: params ?? {} });
        return handler(params ?? {}, identity);
      });
    }
    clients.push({ identity, client });
  });
  const httpServer = await server.listen(0, '127.0.0.1');
  const { port } = httpServer.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    calls: log.entries,
    passwords,
    async client(identity, timeoutMs = 2000) {
      // Each call hands out the next connection of that identity, so a reconnect after Reset is a second call.
      const found = await clients.waitFor(
        (c) => c.identity === identity,
        timeoutMs,
        `${identity} to connect`,
      );
      return found.client;
    },
    async waitForCall(action, predicate = () => true, timeoutMs = 2000) {
      const call = await log.waitFor((c) => c.action === action && predicate(c.params), timeoutMs, action);
      return call.params;
    },
    callsOf: (action) => log.entries.filter((c) => c.action === action).map((c) => c.params),
    close: () => server.close({ force: true }),
  };
}

// A simulator pointed at the test central system, with intervals short enough for specs.
export async function connectedSimulator(
  csms: TestCentralSystem,
  options: Partial<ChargerSimulatorOptions> = {},
): Promise<ChargerSimulator> {
  const sim = new ChargerSimulator({
    url: csms.url,
    chargePointId: 'CP001',
    meterIntervalMs: 40,
    callTimeoutMs: 2000,
    firmwareStepDelayMs: 5,
    ...options,
  });
  await sim.connect();
  return sim;
}
