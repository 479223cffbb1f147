import { ChargingProfileStore } from './charging-profiles';
import type { ChargingProfile, ChargingRateUnit } from '../ocpp-types/ocpp16';

const supply = { voltageV: 230, phases: 3, maxPowerW: 22_080 };
const now = new Date('2025-03-01T12:00:00Z');

function profile(
  id: number,
  overrides: Partial<ChargingProfile> & { periods?: [number, number][]; unit?: ChargingRateUnit } = {},
): ChargingProfile {
  const { periods = [[0, 16]], unit = 'A', ...rest } = overrides;
  return {
    chargingProfileId: id,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
    ...rest,
  };
}

describe('ChargingProfileStore.composite', () => {
  it.each<[string, [number, ChargingProfile][], ChargingRateUnit, [number, number][]]>([
    ['no profile: the supply limit', [], 'W', [[0, 22_080]]],
    ['no profile in amps', [], 'A', [[0, 32]]],
    [
      'a TxDefault profile',
      [
        [
          1,
          profile(1, {
            periods: [
              [0, 16],
              [900, 10],
            ],
          }),
        ],
      ],
      'A',
      [
        [0, 16],
        [900, 10],
      ],
    ],
    ['a default for all connectors', [[0, profile(1, { periods: [[0, 20]] })]], 'A', [[0, 20]]],
    [
      'the higher stack level wins',
      [
        [1, profile(1, { periods: [[0, 10]] })],
        [1, profile(2, { stackLevel: 3, periods: [[0, 25]] })],
      ],
      'A',
      [[0, 25]],
    ],
    [
      'a TxProfile over the default',
      [
        [1, profile(1, { periods: [[0, 30]] })],
        [1, profile(2, { chargingProfilePurpose: 'TxProfile', periods: [[0, 8]] })],
      ],
      'A',
      [[0, 8]],
    ],
    [
      'the station maximum caps the session',
      [
        [1, profile(1, { periods: [[0, 32]] })],
        [
          0,
          profile(2, { chargingProfilePurpose: 'ChargePointMaxProfile', periods: [[0, 11_040]], unit: 'W' }),
        ],
      ],
      'A',
      [[0, 16]],
    ],
    [
      'an absolute profile already 10 minutes in',
      [
        [
          1,
          profile(1, {
            chargingProfileKind: 'Absolute',
            chargingSchedule: {
              startSchedule: '2025-03-01T11:50:00Z',
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [
                { startPeriod: 0, limit: 6 },
                { startPeriod: 1200, limit: 12 },
              ],
            },
          }),
        ],
      ],
      'A',
      [
        [0, 6],
        [600, 12],
      ],
    ],
    [
      'an expired profile is ignored',
      [[1, profile(1, { validTo: '2025-03-01T11:00:00Z', periods: [[0, 6]] })]],
      'A',
      [[0, 32]],
    ],
  ])('%s', (_case, installed, unit, expected) => {
    const store = new ChargingProfileStore();
    for (const [connectorId, p] of installed) store.install(connectorId, p);

    const schedule = store.composite(1, 3600, unit, supply, now);

    expect(schedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit])).toEqual(expected);
    expect(schedule).toMatchObject({
      duration: 3600,
      chargingRateUnit: unit,
      startSchedule: now.toISOString(),
    });
  });

  it('replaces by id or by stack level and purpose, and clears by filter', () => {
    const store = new ChargingProfileStore();
    store.install(1, profile(1));
    store.install(1, profile(1, { stackLevel: 2 }));
    store.install(1, profile(2, { stackLevel: 2 }));
    store.install(2, profile(3, { chargingProfilePurpose: 'TxProfile' }));

    expect(store.all.map((p) => p.profile.chargingProfileId)).toEqual([2, 3]);
    expect(store.clear({ chargingProfilePurpose: 'TxProfile' })).toBe(1);
    expect(store.clear({ id: 99 })).toBe(0);
    expect(store.all.map((p) => p.profile.chargingProfileId)).toEqual([2]);
  });
});
