import { ChargingProfileStore } from '../charging-profiles';
import type { HandlerOutcome } from '../simulator-types';
import type { ChargingProfile, ChargingRateUnit, ChargingSchedulePeriod } from '../../ocpp-types/ocpp16';

type Purpose201 =
  'ChargingStationExternalConstraints' | 'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile';

/** An OCPP 2.0.1 ChargingProfileType, as SetChargingProfile brings it. */
export interface ChargingProfile201 {
  id: number;
  stackLevel: number;
  chargingProfilePurpose: Purpose201;
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  transactionId?: string;
  chargingSchedule: {
    id: number;
    startSchedule?: string;
    duration?: number;
    chargingRateUnit: ChargingRateUnit;
    chargingSchedulePeriod: ChargingSchedulePeriod[];
    minChargingRate?: number;
  }[];
}

interface Installed {
  evseId: number;
  profile: ChargingProfile201;
}

/** What the smart charging part of a station needs of the station. */
export interface SmartChargingHost {
  chargePointId: string;
  hasEvse(evseId: number): boolean;
  evseCount(): number;
  /** The id of the transaction running on the EVSE, if any. */
  transactionOn(evseId: number): string | undefined;
  powerW: number;
  call(action: string, params: object): Promise<unknown>;
}

/** Profiles per ReportChargingProfiles message: small, so that a few profiles already span parts. */
export const PROFILES_PER_REPORT = 2;

const rejected = (reasonCode: string, additionalInfo: string) => ({
  reply: { status: 'Rejected', statusInfo: { reasonCode, additionalInfo } },
});

/**
 * The smart charging (OCPP 2.0.1 K01–K10) and local list (D01, D02) behaviour of a simulated 2.0.1
 * station: it checks and keeps profiles per EVSE, reports them in parts (ReportChargingProfiles,
 * tbc on all but the last), clears them, computes composite schedules from them (with the 1.6
 * simulator's arithmetic), and keeps a versioned local authorization list.
 */
export class SmartCharging201 {
  private installed: Installed[] = [];
  /** The local list: versionNumber (0: none) and the IdTokenInfo by idToken value. */
  localListVersion = 0;
  readonly localList = new Map<string, { type: string; idTokenInfo: Record<string, unknown> }>();

  constructor(private readonly host: SmartChargingHost) {}

  get profiles(): readonly Installed[] {
    return this.installed;
  }

  /** Why a profile cannot be installed on `evseId`, or undefined (K01.FR.*). */
  private problemWith(evseId: number, p: ChargingProfile201): string | undefined {
    if (evseId !== 0 && !this.host.hasEvse(evseId)) return `no EVSE ${evseId}`;
    if (p.stackLevel < 0) return 'stackLevel below 0';
    if (p.chargingProfilePurpose === 'ChargingStationExternalConstraints')
      return 'ChargingStationExternalConstraints are not set by the CSMS';
    if (p.chargingProfilePurpose === 'ChargingStationMaxProfile' && evseId !== 0)
      return 'a ChargingStationMaxProfile goes to evseId 0';
    if (p.chargingProfilePurpose === 'TxProfile' && (evseId === 0 || p.transactionId === undefined))
      return 'a TxProfile needs an EVSE and a transactionId';
    if (p.chargingProfilePurpose === 'TxProfile' && this.host.transactionOn(evseId) !== p.transactionId)
      return `no transaction ${p.transactionId} on EVSE ${evseId}`;
    if (p.chargingProfilePurpose !== 'TxProfile' && p.transactionId !== undefined)
      return 'transactionId only in a TxProfile';
    for (const s of p.chargingSchedule) {
      const periods = s.chargingSchedulePeriod;
      if (periods[0]?.startPeriod !== 0) return 'the first period starts at 0';
      if (periods.some((q, i) => i > 0 && q.startPeriod <= periods[i - 1].startPeriod))
        return 'periods ascend';
      if (periods.some((q) => q.limit < 0)) return 'a negative limit';
    }
    return undefined;
  }

  /** The first schedule of a 2.0.1 profile as a 1.6 profile, for the shared composite arithmetic. */
  private static as16(p: ChargingProfile201): ChargingProfile {
    const { id: _scheduleId, ...schedule } = p.chargingSchedule[0];
    return {
      chargingProfileId: p.id,
      stackLevel: p.stackLevel,
      chargingProfilePurpose:
        p.chargingProfilePurpose === 'TxProfile' || p.chargingProfilePurpose === 'TxDefaultProfile'
          ? p.chargingProfilePurpose
          : 'ChargePointMaxProfile',
      chargingProfileKind: p.chargingProfileKind,
      ...(p.recurrencyKind && { recurrencyKind: p.recurrencyKind }),
      ...(p.validFrom && { validFrom: p.validFrom }),
      ...(p.validTo && { validTo: p.validTo }),
      chargingSchedule: schedule,
    };
  }

  /** A TxProfile lives as long as its transaction (K01.FR.22). */
  endTransaction(transactionId: string): void {
    this.installed = this.installed.filter((i) => i.profile.transactionId !== transactionId);
  }

  handlers(): Record<string, (params: never) => HandlerOutcome> {
    return {
      SetChargingProfile: ({
        evseId,
        chargingProfile: p,
      }: {
        evseId: number;
        chargingProfile: ChargingProfile201;
      }) => {
        const problem = this.problemWith(evseId, p);
        if (problem) return rejected('InvalidProfile', problem);
        // The same id, or the same stack level and purpose on the same EVSE, is replaced (K01.FR.05/06).
        this.installed = this.installed.filter(
          (i) =>
            i.profile.id !== p.id &&
            !(
              i.evseId === evseId &&
              i.profile.stackLevel === p.stackLevel &&
              i.profile.chargingProfilePurpose === p.chargingProfilePurpose
            ),
        );
        this.installed.push({ evseId, profile: p });
        return { reply: { status: 'Accepted' } };
      },

      GetChargingProfiles: (q: {
        requestId: number;
        evseId?: number;
        chargingProfile: {
          chargingProfilePurpose?: string;
          stackLevel?: number;
          chargingProfileId?: number[];
        };
      }) => {
        const c = q.chargingProfile;
        const found = this.installed.filter(
          ({ evseId, profile }) =>
            (q.evseId === undefined || q.evseId === evseId) &&
            (c.chargingProfilePurpose === undefined ||
              c.chargingProfilePurpose === profile.chargingProfilePurpose) &&
            (c.stackLevel === undefined || c.stackLevel === profile.stackLevel) &&
            (c.chargingProfileId === undefined || c.chargingProfileId.includes(profile.id)),
        );
        if (found.length === 0) return { reply: { status: 'NoProfiles' } };
        // One message per EVSE and per PROFILES_PER_REPORT profiles.
        const parts: { evseId: number; chargingProfile: ChargingProfile201[] }[] = [];
        for (const evseId of [...new Set(found.map((f) => f.evseId))].sort((a, b) => a - b)) {
          const ofEvse = found.filter((f) => f.evseId === evseId).map((f) => f.profile);
          for (let i = 0; i < ofEvse.length; i += PROFILES_PER_REPORT)
            parts.push({ evseId, chargingProfile: ofEvse.slice(i, i + PROFILES_PER_REPORT) });
        }
        return {
          reply: { status: 'Accepted' },
          followUp: async () => {
            for (const [n, part] of parts.entries())
              await this.host.call('ReportChargingProfiles', {
                requestId: q.requestId,
                chargingLimitSource: 'CSO',
                ...part,
                ...(n < parts.length - 1 && { tbc: true }),
              });
          },
        };
      },

      ClearChargingProfile: (q: {
        chargingProfileId?: number;
        chargingProfileCriteria?: { evseId?: number; chargingProfilePurpose?: string; stackLevel?: number };
      }) => {
        const c = q.chargingProfileCriteria ?? {};
        const before = this.installed.length;
        this.installed = this.installed.filter(({ evseId, profile }) =>
          q.chargingProfileId !== undefined
            ? profile.id !== q.chargingProfileId
            : !(
                (c.evseId === undefined || c.evseId === evseId) &&
                (c.chargingProfilePurpose === undefined ||
                  c.chargingProfilePurpose === profile.chargingProfilePurpose) &&
                (c.stackLevel === undefined || c.stackLevel === profile.stackLevel)
              ),
        );
        return { reply: { status: this.installed.length < before ? 'Accepted' : 'Unknown' } };
      },

      GetCompositeSchedule: ({
        evseId,
        duration,
        chargingRateUnit = 'W',
      }: {
        evseId: number;
        duration: number;
        chargingRateUnit?: ChargingRateUnit;
      }) => {
        if (evseId !== 0 && !this.host.hasEvse(evseId))
          return rejected('UnknownEvse', `${this.host.chargePointId} has no EVSE ${evseId}`);
        const store = new ChargingProfileStore();
        for (const { evseId: e, profile } of this.installed) store.install(e, SmartCharging201.as16(profile));
        const schedule = store.composite(evseId, duration, chargingRateUnit, {
          voltageV: 230,
          phases: 3,
          maxPowerW: this.host.powerW * (evseId === 0 ? this.host.evseCount() : 1),
        });
        return {
          reply: {
            status: 'Accepted',
            schedule: {
              evseId,
              duration: schedule.duration,
              scheduleStart: schedule.startSchedule,
              chargingRateUnit: schedule.chargingRateUnit,
              chargingSchedulePeriod: schedule.chargingSchedulePeriod,
            },
          },
        };
      },

      SendLocalList: (q: {
        versionNumber: number;
        updateType: 'Full' | 'Differential';
        localAuthorizationList?: {
          idToken: { idToken: string; type: string };
          idTokenInfo?: Record<string, unknown>;
        }[];
      }) => {
        // A differential update must move the list forward (D01.FR.18).
        if (q.updateType === 'Differential' && q.versionNumber <= this.localListVersion)
          return { reply: { status: 'VersionMismatch' } };
        if (q.updateType === 'Full') this.localList.clear();
        for (const { idToken, idTokenInfo } of q.localAuthorizationList ?? []) {
          if (idTokenInfo) this.localList.set(idToken.idToken, { type: idToken.type, idTokenInfo });
          else this.localList.delete(idToken.idToken);
        }
        this.localListVersion = q.versionNumber;
        return { reply: { status: 'Accepted' } };
      },

      GetLocalListVersion: () => ({ reply: { versionNumber: this.localListVersion } }),
    };
  }
}
