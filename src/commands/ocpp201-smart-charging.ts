import type { FieldError } from '../common/domain-error';
import { chargingProfileErrors } from './charging-profile-rules';
import type { ChargingProfile201Dto, SetChargingProfile201Dto } from './dto/charging-profile-201.dto';
import type {
  ChargingProfileDto,
  ClearChargingProfileDto,
  GetCompositeScheduleDto,
  SetChargingProfileDto,
} from './dto/charging-profile.dto';

/** 2.0.1's name for the station-wide limit, 1.6's ChargePointMaxProfile. */
const purpose201 = (purpose: ChargingProfileDto['chargingProfilePurpose']) =>
  purpose === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : purpose;

const iso = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());

/** Drops the fields left undefined, as the strict 2.0.1 schema wants no nulls. */
const defined = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/**
 * The OCPP 2.0.1 rules a profile must meet besides 1.6's (which hold too: periods ascending from 0,
 * limits not negative, a TxProfile on an EVSE above 0, the station-wide profile on EVSE 0): a
 * TxProfile names its transaction, as the session's `transactionId` reads in the API (the
 * charger's string id), and nothing else does.
 */
export function chargingProfileErrors201(evseId: number, p: ChargingProfileDto): FieldError[] {
  const errors = chargingProfileErrors(evseId, p);
  const add = (field: string, message: string) =>
    errors.push({ field: `csChargingProfiles.${field}`, errors: [message] });
  if (p.chargingProfilePurpose === 'TxProfile') {
    if (p.transactionId === undefined)
      add('transactionId', "a TxProfile on an OCPP 2.0.1 station names the session's transactionId");
    else if (typeof p.transactionId !== 'string')
      add('transactionId', "on an OCPP 2.0.1 station the session's transactionId is the charger's string id");
  }
  return errors;
}

/**
 * The same rules for a profile in its 2.0.1 shape (`{evseId, chargingProfile}`), checked on each of
 * its schedules; and a CSMS sets no ChargingStationExternalConstraints (OCPP 2.0.1 K01: the limits
 * an external system gives the station itself).
 */
export function nativeProfileErrors201(evseId: number, p: ChargingProfile201Dto): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) =>
    errors.push({ field: `chargingProfile.${field}`, errors: [message] });
  const purpose = p.chargingProfilePurpose;
  if (purpose === 'ChargingStationExternalConstraints')
    add('chargingProfilePurpose', 'ChargingStationExternalConstraints are set by the station, not by a CSMS');
  if (purpose === 'ChargingStationMaxProfile' && evseId !== 0)
    add('chargingProfilePurpose', 'a ChargingStationMaxProfile must be set on evseId 0');
  if (purpose === 'TxProfile') {
    if (evseId === 0) add('evseId', 'a TxProfile applies to an EVSE, not to evseId 0');
    if (p.transactionId === undefined) add('transactionId', "a TxProfile names the session's transactionId");
  } else if (p.transactionId !== undefined) {
    add('transactionId', 'transactionId is allowed only in a TxProfile');
  }
  if (p.chargingProfileKind === 'Recurring' && !p.recurrencyKind)
    add('recurrencyKind', 'a Recurring profile needs recurrencyKind');
  if (p.chargingProfileKind !== 'Recurring' && p.recurrencyKind)
    add('recurrencyKind', 'recurrencyKind is allowed only in a Recurring profile');
  if (p.validFrom && p.validTo && Date.parse(p.validFrom) >= Date.parse(p.validTo))
    add('validTo', 'validTo must be after validFrom');
  p.chargingSchedule.forEach((schedule, s) => {
    const at = `chargingSchedule.${s}`;
    if (p.chargingProfileKind === 'Recurring' && !schedule.startSchedule)
      add(`${at}.startSchedule`, 'a Recurring profile needs startSchedule');
    if (p.chargingProfileKind === 'Relative' && schedule.startSchedule)
      add(`${at}.startSchedule`, 'a Relative profile has no startSchedule');
    if (p.chargingSchedule.findIndex((other) => other.id === schedule.id) !== s)
      add(`${at}.id`, 'each schedule of a profile has its own id');
    const periods = schedule.chargingSchedulePeriod;
    periods.forEach((period, i) => {
      const field = `${at}.chargingSchedulePeriod.${i}`;
      if (i === 0 && period.startPeriod !== 0)
        add(`${field}.startPeriod`, 'the first period must start at 0');
      if (i > 0 && period.startPeriod <= periods[i - 1].startPeriod)
        add(`${field}.startPeriod`, 'periods must be in ascending order of startPeriod');
      if (!(period.limit >= 0)) add(`${field}.limit`, 'limit must not be negative');
      if (period.phaseToUse !== undefined && period.numberPhases !== 1)
        add(`${field}.phaseToUse`, 'phaseToUse goes with numberPhases 1');
    });
  });
  return errors;
}

/** The 1.6 rule that 2.0.1 does not share: a 1.6 transactionId is an integer. */
export function transactionIdErrors16(p: ChargingProfileDto): FieldError[] {
  return p.transactionId !== undefined && typeof p.transactionId !== 'number'
    ? [
        {
          field: 'csChargingProfiles.transactionId',
          errors: ['on an OCPP 1.6 station transactionId is the integer the charger gave the session'],
        },
      ]
    : [];
}

/**
 * Smart charging commands in their 1.6 body, as the OCPP 2.0.1 request a 2.0.1 station gets:
 * connector n is EVSE n (0 = the station as a whole), ChargePointMaxProfile is
 * ChargingStationMaxProfile, chargingProfileId is the profile's `id`, and the schedule becomes a
 * one-element list whose `id` is the profile's id.
 */
export const smartCharging201 = {
  setChargingProfile: (dto: SetChargingProfileDto) => {
    const p = dto.csChargingProfiles;
    const s = p.chargingSchedule;
    return {
      evseId: dto.connectorId,
      chargingProfile: defined({
        id: p.chargingProfileId,
        stackLevel: p.stackLevel,
        chargingProfilePurpose: purpose201(p.chargingProfilePurpose),
        chargingProfileKind: p.chargingProfileKind,
        recurrencyKind: p.recurrencyKind,
        validFrom: iso(p.validFrom),
        validTo: iso(p.validTo),
        transactionId: p.transactionId as string | undefined,
        chargingSchedule: [
          {
            id: p.chargingProfileId,
            startSchedule: iso(s.startSchedule),
            duration: s.duration,
            chargingRateUnit: s.chargingRateUnit,
            minChargingRate: s.minChargingRate,
            chargingSchedulePeriod: s.chargingSchedulePeriod.map((q) => ({
              startPeriod: q.startPeriod,
              limit: q.limit,
              numberPhases: q.numberPhases,
            })),
          },
        ],
      }),
    };
  },

  /** By id alone (the other filters are then ignored, as the route says for 1.6 too), or by EVSE, purpose and stack level. */
  clearChargingProfile: (dto: ClearChargingProfileDto) => {
    if (dto.id !== undefined) return { chargingProfileId: dto.id };
    const criteria = defined({
      evseId: dto.connectorId,
      chargingProfilePurpose:
        dto.chargingProfilePurpose === undefined ? undefined : purpose201(dto.chargingProfilePurpose),
      stackLevel: dto.stackLevel,
    });
    return Object.keys(criteria).length > 0 ? { chargingProfileCriteria: criteria } : {};
  },

  getCompositeSchedule: (dto: GetCompositeScheduleDto) => ({
    evseId: dto.connectorId,
    duration: dto.duration,
    ...(dto.chargingRateUnit !== undefined && { chargingRateUnit: dto.chargingRateUnit }),
  }),
};

/** A 2.0.1-shaped SetChargingProfile as sent: times in UTC, nothing else changed. */
export const nativeSetChargingProfile = (dto: SetChargingProfile201Dto) => {
  const p = dto.chargingProfile;
  return {
    evseId: dto.evseId,
    chargingProfile: defined({
      ...p,
      validFrom: iso(p.validFrom),
      validTo: iso(p.validTo),
      chargingSchedule: p.chargingSchedule.map((s) => ({ ...s, startSchedule: iso(s.startSchedule) })),
    }),
  };
};

/** Whether a set-charging-profile body is in its OCPP 2.0.1 shape rather than 1.6's. */
export const isNativeSetChargingProfile = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  !Array.isArray(body) &&
  ('chargingProfile' in body || 'evseId' in body);

export interface StatusInfo201 {
  reasonCode: string;
  additionalInfo?: string;
}

export interface CompositeScheduleReply201 {
  status: string;
  statusInfo?: StatusInfo201;
  schedule?: {
    evseId: number;
    duration: number;
    scheduleStart: string;
    chargingRateUnit: string;
    chargingSchedulePeriod: { startPeriod: number; limit: number; numberPhases?: number }[];
  };
}

/**
 * A 2.0.1 GetCompositeSchedule reply in the route's (1.6) shape: the schedule's evseId is the
 * connectorId, its scheduleStart the scheduleStart, the rest the chargingSchedule; statusInfo added.
 */
export function compositeScheduleOf201(reply: CompositeScheduleReply201) {
  const s = reply.schedule;
  return {
    status: reply.status,
    ...(reply.statusInfo !== undefined && { statusInfo: reply.statusInfo }),
    ...(s !== undefined && {
      connectorId: s.evseId,
      scheduleStart: s.scheduleStart,
      chargingSchedule: {
        duration: s.duration,
        chargingRateUnit: s.chargingRateUnit,
        chargingSchedulePeriod: s.chargingSchedulePeriod,
      },
    }),
  };
}
