// Pure settlement rules: a stopped session and its frozen tariff → the order. No Nest imports.
//
// - The bill uses the tariff snapshot taken when the session started, never the current one.
// - The times and readings billed are those charger-data-policy.ts stands behind (the charger's
//   when plausible); what it does not believe is returned as findings for the anomaly log.
// - Charging is taken to have ended at the first energy reading within the billed span that
//   already equals the final reading (the register stopped moving); from there the plan's idle
//   fee may apply.
// - Money is rounded only by the pricing function (tariffs/tariff-pricing.ts).
import { CostBreakdown, MeterSample, TariffPlan, priceSession } from '../tariffs/tariff-pricing';
import { Billable, ChargerDataPolicy, StartReport, StopReport, billable } from './charger-data-policy';

export interface SettlementInput {
  plan: TariffPlan;
  start: StartReport;
  stop: StopReport;
  policy: ChargerDataPolicy;
  samples: MeterSample[];
}

export interface Settlement {
  breakdown: CostBreakdown;
  energyWh: number;
  billed: Billable;
  chargingEndedAt: Date | null;
}

export function chargingEndedAt(samples: MeterSample[], meterStopWh: number, stoppedAt: Date): Date | null {
  const sorted = [...samples].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = sorted.find((s) => s.energyWh >= meterStopWh && s.at.getTime() < stoppedAt.getTime());
  return first?.at ?? null;
}

export function settle(input: SettlementInput): Settlement {
  const billed = billable(input.start, input.stop, input.policy);
  const samples = samplesWithin(billed, input.samples);
  const ended = billed.energyTrusted ? chargingEndedAt(samples, billed.meterStopWh, billed.stoppedAt) : null;
  const breakdown = priceSession(input.plan, {
    startedAt: billed.startedAt,
    stoppedAt: billed.stoppedAt,
    meterStartWh: billed.meterStartWh,
    meterStopWh: billed.meterStopWh,
    samples,
    chargingEndedAt: ended,
  });
  return { breakdown, energyWh: billed.meterStopWh - billed.meterStartWh, billed, chargingEndedAt: ended };
}

/** Human-readable and unique: transactionIds are unique across the platform. */
export function orderNumber(settledAt: Date, transactionId: number): string {
  const day = settledAt.toISOString().slice(0, 10).replaceAll('-', '');
  return `KW-${day}-${String(transactionId).padStart(7, '0')}`;
}

/** Estimated cost so far of an active session, as if it stopped now at the latest reading. */
export function estimateSoFar(input: {
  plan: TariffPlan;
  start: StartReport;
  now: Date;
  latestEnergyWh: number | null;
  samples: MeterSample[];
  policy: ChargerDataPolicy;
}): CostBreakdown {
  const billed = billable(
    input.start,
    {
      stoppedAt: input.now,
      stopReceivedAt: input.now,
      meterStopWh: Math.max(input.start.meterStartWh, input.latestEnergyWh ?? input.start.meterStartWh),
    },
    input.policy,
  );
  return priceSession(input.plan, {
    startedAt: billed.startedAt,
    stoppedAt: billed.stoppedAt,
    meterStartWh: billed.meterStartWh,
    meterStopWh: billed.meterStopWh,
    samples: samplesWithin(billed, input.samples),
  });
}

// Readings the bill can use: while the registers are believed, those of the billed span (a
// charger clock that was not believed dates its samples no better) that a register can show.
function samplesWithin(billed: Billable, samples: MeterSample[]): MeterSample[] {
  if (!billed.energyTrusted) return [];
  const [from, to] = [billed.startedAt.getTime(), billed.stoppedAt.getTime()];
  return samples.filter(
    (s) =>
      s.at.getTime() > from && s.at.getTime() < to && Number.isSafeInteger(s.energyWh) && s.energyWh >= 0,
  );
}
