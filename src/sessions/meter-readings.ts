// Pure normalisation of OCPP 1.6 MeterValues into canonical units, and the live readings of a
// session picked from them. No Nest imports.
//
// OCPP 1.6 §7.43 SampledValue defaults: measurand Energy.Active.Import.Register, context
// Sample.Periodic, location Outlet, unit Wh. A missing unit on a non-energy measurand is taken
// as that measurand's natural unit (a charger sending SoC "80" means percent, not Wh).
// k-prefixed units are scaled (kWh → Wh, kW → W, kvarh → varh, kvar → var, kVA → VA),
// Fahrenheit and Kelvin become Celsius. SignedData values and unparseable numbers are skipped
// and counted, never guessed.

export interface OcppSampledValue {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}
export interface OcppMeterValue {
  timestamp: string;
  sampledValue: OcppSampledValue[];
}
export interface NormalisedSample {
  at: Date;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string;
  unit: string;
  value: number;
}

export const ENERGY_REGISTER = 'Energy.Active.Import.Register';

const SCALE: Record<string, { unit: string; factor: number }> = {
  Wh: { unit: 'Wh', factor: 1 },
  kWh: { unit: 'Wh', factor: 1000 },
  varh: { unit: 'varh', factor: 1 },
  kvarh: { unit: 'varh', factor: 1000 },
  W: { unit: 'W', factor: 1 },
  kW: { unit: 'W', factor: 1000 },
  VA: { unit: 'VA', factor: 1 },
  kVA: { unit: 'VA', factor: 1000 },
  var: { unit: 'var', factor: 1 },
  kvar: { unit: 'var', factor: 1000 },
  A: { unit: 'A', factor: 1 },
  V: { unit: 'V', factor: 1 },
  Percent: { unit: '%', factor: 1 },
  Celsius: { unit: 'Celsius', factor: 1 },
};

function naturalUnit(measurand: string): string {
  if (measurand.startsWith('Energy.Reactive')) return 'varh';
  if (measurand.startsWith('Energy')) return 'Wh';
  if (measurand.startsWith('Power.Reactive')) return 'var';
  if (measurand === 'Power.Factor') return '';
  if (measurand.startsWith('Power')) return 'W';
  if (measurand.startsWith('Current')) return 'A';
  if (measurand === 'Voltage') return 'V';
  if (measurand === 'SoC') return 'Percent';
  if (measurand === 'Temperature') return 'Celsius';
  if (measurand === 'Frequency') return 'Hz';
  if (measurand === 'RPM') return 'rpm';
  return 'Wh';
}

function convert(raw: number, unit: string): { unit: string; value: number } {
  if (unit === 'Fahrenheit') return { unit: 'Celsius', value: ((raw - 32) * 5) / 9 };
  if (unit === 'K') return { unit: 'Celsius', value: raw - 273.15 };
  const s = SCALE[unit];
  return s ? { unit: s.unit, value: raw * s.factor } : { unit, value: raw };
}

/** Beyond any meter (10¹⁵ Wh is a thousand times a 999 999 999 kWh register): unreadable. */
const MAX_READING = 1e15;

export function normaliseMeterValues(meterValue: OcppMeterValue[]): {
  samples: NormalisedSample[];
  skipped: number;
} {
  const samples: NormalisedSample[] = [];
  let skipped = 0;
  for (const mv of meterValue) {
    const at = new Date(mv.timestamp);
    for (const sv of mv.sampledValue) {
      const raw = Number(sv.value);
      if (
        Number.isNaN(at.getTime()) ||
        sv.format === 'SignedData' ||
        sv.value.trim() === '' ||
        !Number.isFinite(raw)
      ) {
        skipped++;
        continue;
      }
      const measurand = sv.measurand ?? ENERGY_REGISTER;
      const { unit, value } = convert(raw, sv.unit ?? naturalUnit(measurand));
      if (Math.abs(value) > MAX_READING) {
        skipped++;
        continue;
      }
      samples.push({
        at,
        measurand,
        phase: sv.phase ?? null,
        location: sv.location ?? null,
        context: sv.context ?? 'Sample.Periodic',
        unit,
        value,
      });
    }
  }
  return { samples, skipped };
}

// Readings measured at the EV or the charger body are not the billed outlet energy.
const atOutlet = (s: NormalisedSample) =>
  s.location === null || s.location === 'Outlet' || s.location === 'Inlet';
const LINE_PHASES = new Set(['L1', 'L2', 'L3']);

/** One value per instant for a measurand: the unphased total, else the sum of L1..L3. */
function totalAt(samples: NormalisedSample[], measurand: string): Map<number, number> {
  const total = new Map<number, number>();
  const phased = new Map<number, number>();
  for (const s of samples) {
    if (s.measurand !== measurand || !atOutlet(s)) continue;
    const t = s.at.getTime();
    if (s.phase === null) total.set(t, s.value);
    else if (LINE_PHASES.has(s.phase)) phased.set(t, (phased.get(t) ?? 0) + s.value);
  }
  for (const [t, v] of phased) if (!total.has(t)) total.set(t, v);
  return total;
}

/** The cumulative energy register over time, in whole Wh, sorted by time. */
export function energyRegister(samples: NormalisedSample[]): { at: Date; energyWh: number }[] {
  return [...totalAt(samples, ENERGY_REGISTER)]
    .sort(([a], [b]) => a - b)
    .map(([t, v]) => ({ at: new Date(t), energyWh: Math.round(v) }));
}

export interface LiveReadings {
  at: Date | null;
  energyWh: number | null;
  powerW: number | null;
  socPercent: number | null;
}

/** The latest energy register, active import power and state of charge in a batch of samples. */
export function latestReadings(samples: NormalisedSample[]): LiveReadings {
  const last = (m: Map<number, number>) => {
    let best: [number, number] | null = null;
    for (const e of m) if (!best || e[0] >= best[0]) best = e;
    return best;
  };
  const energy = last(totalAt(samples, ENERGY_REGISTER));
  const power = last(totalAt(samples, 'Power.Active.Import'));
  const soc = last(
    new Map(samples.filter((s) => s.measurand === 'SoC').map((s) => [s.at.getTime(), s.value])),
  );
  const times = [energy, power, soc].filter((e): e is [number, number] => e !== null).map((e) => e[0]);
  return {
    at: times.length > 0 ? new Date(Math.max(...times)) : null,
    energyWh: energy ? Math.round(energy[1]) : null,
    powerW: power ? power[1] : null,
    socPercent: soc ? soc[1] : null,
  };
}
