import fc from 'fast-check';
import { ProfileToCheck, chargingProfileErrors } from './charging-profile-rules';

const base: ProfileToCheck = {
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 16 },
      { startPeriod: 600, limit: 8 },
    ],
  },
};
const periods = (...p: [number, number][]) => ({
  chargingSchedule: { chargingSchedulePeriod: p.map(([startPeriod, limit]) => ({ startPeriod, limit })) },
});

describe('chargingProfileErrors', () => {
  it('accepts a valid default profile', () => {
    expect(chargingProfileErrors(1, base)).toEqual([]);
  });

  it.each<[string, number, Partial<ProfileToCheck>, string]>([
    ['a transactionId outside a TxProfile', 1, { transactionId: 5 }, 'csChargingProfiles.transactionId'],
    [
      'a TxProfile on connector 0',
      0,
      { chargingProfilePurpose: 'TxProfile', transactionId: 5 },
      'csChargingProfiles.connectorId',
    ],
    [
      'a station maximum on a connector',
      1,
      { chargingProfilePurpose: 'ChargePointMaxProfile' },
      'csChargingProfiles.chargingProfilePurpose',
    ],
    [
      'Recurring without recurrencyKind',
      1,
      { chargingProfileKind: 'Recurring' },
      'csChargingProfiles.recurrencyKind',
    ],
    [
      'recurrencyKind on an Absolute profile',
      1,
      { recurrencyKind: 'Daily' },
      'csChargingProfiles.recurrencyKind',
    ],
    [
      'validTo before validFrom',
      1,
      { validFrom: '2026-02-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' },
      'csChargingProfiles.validTo',
    ],
    [
      'a first period not at 0',
      1,
      periods([60, 16]),
      'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.0.startPeriod',
    ],
    [
      'periods out of order',
      1,
      periods([0, 16], [600, 8], [300, 4]),
      'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.2.startPeriod',
    ],
    [
      'a negative limit',
      1,
      periods([0, 16], [60, -1]),
      'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.1.limit',
    ],
  ])('refuses %s', (_case, connectorId, change, field) => {
    const errors = chargingProfileErrors(connectorId, { ...base, ...change });
    expect(errors.map((e) => e.field)).toContain(field);
  });

  // OCPP 1.6 allows both; refusing them broke pausing a charge and limiting the running transaction.
  it.each<[string, Partial<ProfileToCheck>]>([
    ['a TxProfile without transactionId', { chargingProfilePurpose: 'TxProfile' }],
    ['a TxProfile with its transactionId', { chargingProfilePurpose: 'TxProfile', transactionId: 5 }],
    ['a limit of 0 (paused)', periods([0, 0])],
    ['a pause between two limits', periods([0, 16], [600, 0], [1200, 16])],
  ])('accepts %s', (_case, change) => {
    expect(chargingProfileErrors(1, { ...base, ...change })).toEqual([]);
  });

  it('accepts every ascending schedule of non-negative limits and names each negative one', () => {
    const step = fc.tuple(fc.integer({ min: 1, max: 3600 }), fc.integer({ min: -1000, max: 5000 }));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 24 }), (steps) => {
        // Start periods 0, then each one gap later; limits in tenths (OCPP's decimal place).
        let startPeriod = 0;
        const p = periods(
          ...steps.map(([gap, tenths], i): [number, number] => [
            i === 0 ? 0 : (startPeriod += gap),
            tenths / 10,
          ]),
        );
        const negative = steps.flatMap(([, tenths], i) =>
          tenths < 0 ? [`csChargingProfiles.chargingSchedule.chargingSchedulePeriod.${i}.limit`] : [],
        );
        expect(chargingProfileErrors(1, { ...base, ...p }).map((e) => e.field)).toEqual(negative);
      }),
    );
  });
});
