import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import type { TestApp } from '../app';
import type { TestAccount } from '../factories/accounts';
import { aCharger, uniqueChargePointId } from '../factories/chargers';

export interface CommandStation {
  id: string;
  chargePointId: string;
}

/** Registers a station over the stations API as the given admin. */
export async function aRegisteredStation(
  t: TestApp,
  admin: TestAccount,
  body: Record<string, unknown> = {},
): Promise<CommandStation> {
  const res = await t.http
    .post('/api/v1/stations')
    .set(admin.auth)
    .send({ chargePointId: uniqueChargePointId(), ...body })
    .expect(201);
  return { id: res.body.id, chargePointId: res.body.chargePointId };
}

/** A booted simulator for the station that has reported every connector's status. */
export async function aConnectedCharger(
  t: TestApp,
  station: CommandStation,
  opts: Parameters<typeof aCharger>[2] = {},
): Promise<ChargerSimulator> {
  const charger = await aCharger(t, station, opts);
  await charger.announceStatuses();
  return charger;
}

export const commandUrl = (station: CommandStation, command: string) =>
  `/api/v1/stations/${station.id}/commands/${command}`;
