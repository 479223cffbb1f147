import type {
  ChargingProfile,
  ChargingProfilePurpose,
  ChargingRateUnit,
  ChargingSchedule,
  ChargingSchedulePeriod,
} from '../ocpp-types/ocpp16';

export interface InstalledProfile {
  connectorId: number;
  profile: ChargingProfile;
}

export interface ClearProfileFilter {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: ChargingProfilePurpose;
  stackLevel?: number;
}

export interface ElectricalSupply {
  voltageV: number;
  phases: number;
  maxPowerW: number;
}

const DAY_SECONDS = 86_400;

export class ChargingProfileStore {
  private installed: InstalledProfile[] = [];

  get all(): readonly InstalledProfile[] {
    return this.installed;
  }

  // OCPP 1.6 3.13.2: a profile with the same id, or the same stackLevel and purpose on the same
  // connector, replaces the one installed.
  install(connectorId: number, profile: ChargingProfile): void {
    this.installed = this.installed.filter(
      ({ connectorId: c, profile: p }) =>
        p.chargingProfileId !== profile.chargingProfileId &&
        !(
          c === connectorId &&
          p.stackLevel === profile.stackLevel &&
          p.chargingProfilePurpose === profile.chargingProfilePurpose
        ),
    );
    this.installed.push({ connectorId, profile });
  }

  clear(filter: ClearProfileFilter): number {
    const before = this.installed.length;
    this.installed = this.installed.filter(({ connectorId, profile }) => {
      if (filter.id !== undefined) return profile.chargingProfileId !== filter.id;
      const matches =
        (filter.connectorId === undefined || filter.connectorId === connectorId) &&
        (filter.chargingProfilePurpose === undefined ||
          filter.chargingProfilePurpose === profile.chargingProfilePurpose) &&
        (filter.stackLevel === undefined || filter.stackLevel === profile.stackLevel);
      return !matches;
    });
    return before - this.installed.length;
  }

  // A TxProfile only lives as long as its transaction (OCPP 1.6 3.13.1).
  endTransaction(connectorId: number): void {
    this.installed = this.installed.filter(
      ({ connectorId: c, profile }) => !(c === connectorId && profile.chargingProfilePurpose === 'TxProfile'),
    );
  }

  composite(
    connectorId: number,
    durationSeconds: number,
    unit: ChargingRateUnit,
    supply: ElectricalSupply,
    now: Date = new Date(),
  ): ChargingSchedule {
    const valid = this.installed.filter(
      ({ connectorId: c, profile }) => (c === connectorId || c === 0) && isValidAt(profile, now),
    );
    const highest = (purpose: ChargingProfilePurpose, connectors: number[]): ChargingProfile | undefined =>
      valid
        .filter((p) => p.profile.chargingProfilePurpose === purpose && connectors.includes(p.connectorId))
        .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel)[0]?.profile;

    const txLimit =
      highest('TxProfile', [connectorId]) ??
      highest('TxDefaultProfile', [connectorId]) ??
      highest('TxDefaultProfile', [0]);
    const stationLimit = highest('ChargePointMaxProfile', [0]);
    const applied = [txLimit, stationLimit].filter((p): p is ChargingProfile => p !== undefined);

    const breakpoints = new Set<number>([0]);
    for (const profile of applied) {
      const offset = scheduleOffsetSeconds(profile, now);
      for (const period of profile.chargingSchedule.chargingSchedulePeriod)
        breakpoints.add(period.startPeriod - offset);
      if (profile.chargingSchedule.duration !== undefined)
        breakpoints.add(profile.chargingSchedule.duration - offset);
    }

    const fallback = toUnit(supply.maxPowerW, 'W', unit, supply);
    const periods: ChargingSchedulePeriod[] = [];
    for (const t of [...breakpoints].filter((s) => s >= 0 && s < durationSeconds).sort((a, b) => a - b)) {
      const limits = applied
        .map((profile) => limitAt(profile, t + scheduleOffsetSeconds(profile, now)))
        .filter((l): l is { limit: number; unit: ChargingRateUnit } => l !== undefined)
        .map((l) => toUnit(l.limit, l.unit, unit, supply));
      const limit = roundTenth(Math.min(fallback, ...limits));
      if (periods.at(-1)?.limit !== limit)
        periods.push({ startPeriod: t, limit, numberPhases: supply.phases });
    }

    return {
      duration: durationSeconds,
      startSchedule: now.toISOString(),
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods,
    };
  }
}

function isValidAt(profile: ChargingProfile, now: Date): boolean {
  if (profile.validFrom && new Date(profile.validFrom) > now) return false;
  if (profile.validTo && new Date(profile.validTo) <= now) return false;
  return true;
}

// Seconds between the start of the profile's schedule and now.
function scheduleOffsetSeconds(profile: ChargingProfile, now: Date): number {
  const start = profile.chargingSchedule.startSchedule ?? profile.validFrom;
  if (profile.chargingProfileKind === 'Relative' || start === undefined) return 0;
  const elapsed = Math.floor((now.getTime() - new Date(start).getTime()) / 1000);
  if (profile.chargingProfileKind === 'Recurring') {
    const cycle = profile.recurrencyKind === 'Weekly' ? 7 * DAY_SECONDS : DAY_SECONDS;
    return ((elapsed % cycle) + cycle) % cycle;
  }
  return elapsed;
}

function limitAt(
  profile: ChargingProfile,
  secondsIntoSchedule: number,
): { limit: number; unit: ChargingRateUnit } | undefined {
  const { chargingSchedulePeriod, duration, chargingRateUnit } = profile.chargingSchedule;
  if (secondsIntoSchedule < 0 || (duration !== undefined && secondsIntoSchedule >= duration))
    return undefined;
  const period = chargingSchedulePeriod.filter((p) => p.startPeriod <= secondsIntoSchedule).at(-1);
  return period ? { limit: period.limit, unit: chargingRateUnit } : undefined;
}

function toUnit(
  value: number,
  from: ChargingRateUnit,
  to: ChargingRateUnit,
  supply: ElectricalSupply,
): number {
  if (from === to) return value;
  const wattsPerAmp = supply.voltageV * supply.phases;
  return from === 'A' ? value * wattsPerAmp : value / wattsPerAmp;
}

// Limits travel as multiples of 0.1 (OCPP 1.6 ChargingSchedulePeriod.limit).
function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}
