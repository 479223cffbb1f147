import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import type { TestApp } from '../app';
import type { TestStation } from './chargers';

/**
 * A bare OCPP 2.0.1 charger for e2e tests: an ocpp-rpc client on subprotocol `ocpp2.0.1` in
 * strict mode (both directions checked against the OCA schemas; `strict: false` to send malformed
 * frames), connected and, by default, booted. Tests answer the central system's calls with `charger.handle(action, handler)`.
 */
export async function aCharger201(
  t: TestApp,
  station: Pick<TestStation, 'chargePointId' | 'password'>,
  opts: { boot?: boolean; protocols?: string[]; strict?: boolean } = {},
): Promise<RPCClient> {
  // The library's typings mark every option as required although all but identity have defaults.
  const options = {
    endpoint: `${t.wsUrl}/ocpp`,
    identity: station.chargePointId,
    protocols: opts.protocols ?? ['ocpp2.0.1'],
    strictMode: opts.strict ?? true,
    reconnect: false,
    callTimeoutMs: 5000,
    ...(station.password !== undefined && { password: station.password }),
  } as Partial<RPC_ClientOptions> as RPC_ClientOptions;
  const charger = new RPCClient(options);
  await charger.connect();
  if (opts.boot ?? true) {
    const reply = (await charger.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'KW-201', vendorName: 'Kilowatt Test' },
    })) as { status: string };
    if (reply.status !== 'Accepted') throw new Error(`BootNotification answered ${reply.status}`);
  }
  return charger;
}

/** A TransactionEvent's meterValue with one energy register reading (Wh) in the given context. */
export const energyReading = (timestamp: string, wh: number, context: string) => [
  {
    timestamp,
    sampledValue: [
      { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
    ],
  },
];

/**
 * Our simulated 2.0.1 station for `chargePointId`, connected and booted (no meter timer, 5 s
 * calls); it is added to `open`, which the suite closes in its afterAll.
 */
export async function aSimulatedStation201(
  t: TestApp,
  chargePointId: string,
  open: { close(): Promise<unknown> }[],
  opts: { evses?: number } = {},
): Promise<ChargingStation201> {
  const sim = new ChargingStation201({
    url: `${t.wsUrl}/ocpp`,
    chargePointId,
    evses: opts.evses ?? 1,
    meterIntervalMs: 0,
    callTimeoutMs: 5000,
  });
  open.push(sim);
  await sim.connect();
  await sim.boot();
  return sim;
}
