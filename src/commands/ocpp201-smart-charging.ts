import type { FieldError } from '../common/domain-error';
import { chargingProfileErrors } from './charging-profile-rules';
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
