// Pure settlement rules: a stopped session and its frozen tariff → the order. No Nest imports.
//
// - The bill uses the tariff snapshot taken when the session started, never the current one.
// - Energy is meterStop − meterStart; a meterStop below meterStart bills 0 Wh and is flagged.
// - Charging is taken to have ended at the first energy reading that already equals the final
//   reading (the register stopped moving); from there the plan's idle fee may apply.
// - Money is rounded only by the pricing function (tariffs/tariff-pricing.ts).
import { CostBreakdown, MeterSample, TariffPlan, priceSession } from '../tariffs/tariff-pricing';

export interface SettlementInput {
  plan: TariffPlan;
  startedAt: Date;
  stoppedAt: Date;
  meterStartWh: number;
  meterStopWh: number;
  samples: MeterSample[];
}

export interface Settlement {
  breakdown: CostBreakdown;
  energyWh: number;
  meterStopBelowStart: boolean;
  chargingEndedAt: Date | null;
}

export function chargingEndedAt(samples: MeterSample[], meterStopWh: number, stoppedAt: Date): Date | null {
  const sorted = [...samples].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = sorted.find((s) => s.energyWh >= meterStopWh && s.at.getTime() < stoppedAt.getTime());
  return first?.at ?? null;
}

export function settle(input: SettlementInput): Settlement {
  const meterStopBelowStart = input.meterStopWh < input.meterStartWh;
  // A stop timestamp before the start (a charger clock jump) bills zero time rather than failing.
  const stoppedAt = input.stoppedAt < input.startedAt ? input.startedAt : input.stoppedAt;
  const meterStopWh = Math.max(0, input.meterStopWh);
  const meterStartWh = Math.max(0, input.meterStartWh);
  const ended = meterStopBelowStart ? null : chargingEndedAt(input.samples, meterStopWh, stoppedAt);
  const breakdown = priceSession(input.plan, {
    startedAt: input.startedAt,
    stoppedAt,
    meterStartWh,
    meterStopWh,
    samples: meterStopBelowStart ? [] : input.samples,
    chargingEndedAt: ended,
  });
  return {
    breakdown,
    energyWh: Math.max(0, meterStopWh - meterStartWh),
    meterStopBelowStart,
    chargingEndedAt: ended,
  };
}

/** Human-readable and unique: transactionIds are unique across the platform. */
export function orderNumber(settledAt: Date, transactionId: number): string {
  const day = settledAt.toISOString().slice(0, 10).replaceAll('-', '');
  return `KW-${day}-${String(transactionId).padStart(7, '0')}`;
}

/** Estimated cost so far of an active session, as if it stopped now at the latest reading. */
export function estimateSoFar(input: {
  plan: TariffPlan;
  startedAt: Date;
  now: Date;
  meterStartWh: number;
  latestEnergyWh: number | null;
  samples: MeterSample[];
}): CostBreakdown {
  const now = input.now < input.startedAt ? input.startedAt : input.now;
  return priceSession(input.plan, {
    startedAt: input.startedAt,
    stoppedAt: now,
    meterStartWh: input.meterStartWh,
    meterStopWh: Math.max(input.meterStartWh, input.latestEnergyWh ?? input.meterStartWh),
    samples: input.samples,
  });
}
