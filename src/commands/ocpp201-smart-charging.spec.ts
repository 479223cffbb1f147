import standardValidators from 'ocpp-rpc/lib/standard-validators';
import fc from 'fast-check';
import type { ChargingProfileDto, SetChargingProfileDto } from './dto/charging-profile.dto';
import type { ChargingProfile201Dto } from './dto/charging-profile-201.dto';
import { toAuthorizationData201, toEntries, fullUpdate, differentialUpdate } from './local-list';
import {
  chargingProfileErrors201,
  compositeScheduleOf201,
  isNativeSetChargingProfile,
  nativeProfileErrors201,
  nativeSetChargingProfile,
  smartCharging201,
  transactionIdErrors16,
} from './ocpp201-smart-charging';
import { awaitReport } from './station-reports';

const validator = standardValidators.find((v) => v.subprotocol === 'ocpp2.0.1')!;
/** Whether the OCA schema of `id` accepts the body. */
const schemaOf = (id: string) => (body: unknown) => {
  try {
    validator.validate(id, body);
    return true;
  } catch {
    return false;
  }
};

const base: ChargingProfileDto = {
  chargingProfileId: 101,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
};
const fieldsOf = (evseId: number, p: Partial<ChargingProfileDto>) =>
  chargingProfileErrors201(evseId, { ...base, ...p }).map((f) => f.field);

describe('smart charging in OCPP 2.0.1 shapes', () => {
  it('translates every valid 1.6 body into a SetChargingProfileRequest the 2.0.1 schema accepts', () => {
    const valid = schemaOf('urn:SetChargingProfile.req');
    expect(valid({ evseId: 1 })).toBe(false);
    const period = fc.record({
      limit: fc.integer({ min: 0, max: 100_000 }),
      numberPhases: fc.constantFrom(1, 3),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'),
        fc.constantFrom('Absolute', 'Relative'),
        fc.array(period, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 100 }),
        (evseId, purpose, kind, periods, id, stackLevel) => {
          const profile: ChargingProfileDto = {
            chargingProfileId: id,
            stackLevel,
            chargingProfilePurpose: purpose as ChargingProfileDto['chargingProfilePurpose'],
            chargingProfileKind: kind as ChargingProfileDto['chargingProfileKind'],
            ...(purpose === 'TxProfile' && { transactionId: 'f1e2d3c4-tx' }),
            chargingSchedule: {
              chargingRateUnit: 'W',
              duration: 3600,
              chargingSchedulePeriod: periods.map((p, i) => ({ startPeriod: i * 60, ...p })),
            },
          };
          const connectorId = purpose === 'ChargePointMaxProfile' ? 0 : Math.max(1, evseId);
          expect(chargingProfileErrors201(connectorId, profile)).toEqual([]);
          const dto: SetChargingProfileDto = { connectorId, csChargingProfiles: profile };
          const request = smartCharging201.setChargingProfile(dto);
          expect(valid(request)).toBe(true);
          expect(request.evseId).toBe(connectorId);
          expect(request.chargingProfile.chargingSchedule).toHaveLength(1);
          expect(request.chargingProfile.chargingSchedule[0].id).toBe(id);
        },
      ),
    );
  });

  it('renames the station-wide purpose and keeps times in UTC', () => {
    const request = smartCharging201.setChargingProfile({
      connectorId: 0,
      csChargingProfiles: {
        ...base,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        validTo: '2027-01-01T01:00:00+01:00',
        chargingSchedule: { ...base.chargingSchedule, startSchedule: '2026-12-01T00:00:00Z' },
      },
    });
    expect(request.chargingProfile).toMatchObject({
      chargingProfilePurpose: 'ChargingStationMaxProfile',
      recurrencyKind: 'Daily',
      validTo: '2027-01-01T00:00:00.000Z',
      chargingSchedule: [{ id: 101, startSchedule: '2026-12-01T00:00:00.000Z' }],
    });
  });

  it.each([
    ['a TxProfile without transactionId', 1, { chargingProfilePurpose: 'TxProfile' }, 'transactionId'],
    [
      'a TxProfile with an integer',
      1,
      { chargingProfilePurpose: 'TxProfile', transactionId: 4 },
      'transactionId',
    ],
    ['a TxProfile on EVSE 0', 0, { chargingProfilePurpose: 'TxProfile', transactionId: 't' }, 'connectorId'],
    [
      'a station-wide profile on EVSE 1',
      1,
      { chargingProfilePurpose: 'ChargePointMaxProfile' },
      'chargingProfilePurpose',
    ],
    ['a transactionId outside a TxProfile', 1, { transactionId: 't' }, 'transactionId'],
    [
      'a first period after 0',
      1,
      { chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 5, limit: 1 }] } },
      'chargingSchedule.chargingSchedulePeriod.0.startPeriod',
    ],
  ] as const)('refuses %s', (_case, evseId, p, field) => {
    expect(fieldsOf(evseId, p as Partial<ChargingProfileDto>)).toContain(`csChargingProfiles.${field}`);
  });

  it('keeps 1.6 transactionIds integers', () => {
    expect(transactionIdErrors16({ ...base, transactionId: 'x' })).toHaveLength(1);
    expect(transactionIdErrors16({ ...base, transactionId: 42 })).toEqual([]);
  });

  it('clears by id, by criteria, or everything', () => {
    const valid = schemaOf('urn:ClearChargingProfile.req');
    for (const dto of [
      { id: 5 },
      { connectorId: 0, chargingProfilePurpose: 'ChargePointMaxProfile' as const, stackLevel: 2 },
      {},
    ])
      expect(valid(smartCharging201.clearChargingProfile(dto))).toBe(true);
    expect(
      smartCharging201.clearChargingProfile({
        connectorId: 0,
        chargingProfilePurpose: 'ChargePointMaxProfile',
      }),
    ).toEqual({
      chargingProfileCriteria: { evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' },
    });
    expect(smartCharging201.clearChargingProfile({})).toEqual({});
    expect(smartCharging201.clearChargingProfile({ id: 5, connectorId: 1, stackLevel: 0 })).toEqual({
      chargingProfileId: 5,
    });
  });

  it('answers a composite schedule in the 1.6 shape', () => {
    const periods = [{ startPeriod: 0, limit: 11000 }];
    expect(
      compositeScheduleOf201({
        status: 'Accepted',
        schedule: {
          evseId: 2,
          duration: 60,
          scheduleStart: '2026-12-01T00:00:00.000Z',
          chargingRateUnit: 'W',
          chargingSchedulePeriod: periods,
        },
      }),
    ).toEqual({
      status: 'Accepted',
      connectorId: 2,
      scheduleStart: '2026-12-01T00:00:00.000Z',
      chargingSchedule: { duration: 60, chargingRateUnit: 'W', chargingSchedulePeriod: periods },
    });
    expect(compositeScheduleOf201({ status: 'Rejected', statusInfo: { reasonCode: 'X' } })).toEqual({
      status: 'Rejected',
      statusInfo: { reasonCode: 'X' },
    });
  });
});

describe('SetChargingProfile in its own 2.0.1 shape', () => {
  const native: ChargingProfile201Dto = {
    id: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: [
      { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
      {
        id: 2,
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 3700, numberPhases: 1, phaseToUse: 3 },
          { startPeriod: 60, limit: 0 },
        ],
      },
    ],
  };
  const fields = (evseId: number, p: Partial<ChargingProfile201Dto>) =>
    nativeProfileErrors201(evseId, { ...native, ...p }).map((f) => f.field);

  it('tells the shapes apart by their fields', () => {
    expect(isNativeSetChargingProfile({ evseId: 1, chargingProfile: {} })).toBe(true);
    expect(isNativeSetChargingProfile({ evseId: 1 })).toBe(true);
    expect(isNativeSetChargingProfile({ connectorId: 1, csChargingProfiles: {} })).toBe(false);
    expect(isNativeSetChargingProfile([])).toBe(false);
    expect(isNativeSetChargingProfile(null)).toBe(false);
  });

  it('passes a valid one to the station as the schema wants it', () => {
    expect(nativeProfileErrors201(1, native)).toEqual([]);
    expect(
      schemaOf('urn:SetChargingProfile.req')(
        nativeSetChargingProfile({ evseId: 1, chargingProfile: native }),
      ),
    ).toBe(true);
  });

  it.each([
    [
      0,
      { chargingProfilePurpose: 'ChargingStationExternalConstraints' },
      'chargingProfile.chargingProfilePurpose',
    ],
    [1, { chargingProfilePurpose: 'ChargingStationMaxProfile' }, 'chargingProfile.chargingProfilePurpose'],
    [0, { chargingProfilePurpose: 'TxProfile', transactionId: 't' }, 'chargingProfile.evseId'],
    [1, { chargingProfilePurpose: 'TxProfile' }, 'chargingProfile.transactionId'],
    [1, { transactionId: 't' }, 'chargingProfile.transactionId'],
    [1, { chargingProfileKind: 'Recurring' }, 'chargingProfile.recurrencyKind'],
    [
      1,
      { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
      'chargingProfile.chargingSchedule.1.startSchedule',
    ],
    [1, { validFrom: '2026-02-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' }, 'chargingProfile.validTo'],
    [
      1,
      {
        chargingSchedule: [
          {
            id: 1,
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 6, phaseToUse: 1 }],
          },
        ],
      },
      'chargingProfile.chargingSchedule.0.chargingSchedulePeriod.0.phaseToUse',
    ],
  ] as const)('on EVSE %s refuses %o, naming %s', (evseId, p, field) => {
    expect(fields(evseId, p as Partial<ChargingProfile201Dto>)).toContain(field);
  });
});

describe('local lists in OCPP 2.0.1 shapes', () => {
  it('types each idToken by what the idTag is, and removals by what it was', () => {
    const previous = toEntries([{ idTag: 'GONE', kind: 'rfid', status: 'Accepted' }]);
    const current = toEntries([
      { idTag: 'APP1', kind: 'app', status: 'Accepted', parentIdTag: 'FLEET' },
      { idTag: 'CARD', kind: 'rfid', status: 'Expired', expiryDate: new Date('2026-01-01T00:00:00Z') },
    ]);
    const list = toAuthorizationData201(differentialUpdate(previous, current), current, previous);
    expect(list).toEqual([
      {
        idToken: { idToken: 'APP1', type: 'Central' },
        idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'FLEET', type: 'Central' } },
      },
      {
        idToken: { idToken: 'CARD', type: 'ISO14443' },
        idTokenInfo: { status: 'Expired', cacheExpiryDateTime: '2026-01-01T00:00:00.000Z' },
      },
      { idToken: { idToken: 'GONE', type: 'ISO14443' } },
    ]);
    expect(
      schemaOf('urn:SendLocalList.req')({
        versionNumber: 2,
        updateType: 'Differential',
        localAuthorizationList: list,
      }),
    ).toBe(true);
    // The kind is for 2.0.1 only: a 1.6 charger is told what it always was.
    expect(fullUpdate(current)[0]).toEqual({
      idTag: 'APP1',
      idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' },
    });
  });
});

describe('awaitReport', () => {
  it('returns the parts once one without tbc is stored', async () => {
    const stored: { tbc?: boolean; n: number }[] = [];
    let reads = 0;
    const parts = await awaitReport(
      async () => {
        reads++;
        if (reads === 1) stored.push({ tbc: true, n: 1 });
        if (reads === 3) stored.push({ n: 2 });
        return [...stored];
      },
      { timeoutMs: 5000, pollMs: 1, what: 'report' },
    );
    expect(parts.map((p) => p.n)).toEqual([1, 2]);
  });

  it('is a CHARGER_TIMEOUT when the last part does not come', async () => {
    await expect(
      awaitReport(async () => [{ tbc: true }], {
        timeoutMs: 20,
        pollMs: 5,
        what: 'ReportChargingProfiles of CP',
      }),
    ).rejects.toMatchObject({ code: 'CHARGER_TIMEOUT' });
  });
});
