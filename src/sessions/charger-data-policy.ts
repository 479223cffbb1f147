// Implausible charger data: what is kept, what is flagged, what is billed. Pure, no Nest imports.
//
// Chargers lose their clock (1970 after a power loss, a far future after a bad sync), reset or
// corrupt their registers. The session row keeps every value as the charger sent it; each oddity
// becomes an anomaly with the raw and the billed values; the bill uses only values the CSMS can
// stand behind:
// - A charger timestamp is plausible from the station's registration (minus the skew) to the
//   moment the CSMS received it (plus the skew). An implausible start is billed from the moment
//   the CSMS received the StartTransaction, an implausible stop up to the moment it received the
//   StopTransaction (or closed the session without one).
// - A stop before the start, both plausible, bills no time.
// - A negative register, or a stop reading below the start reading (a reset or replaced meter),
//   bills 0 Wh; meter samples are then ignored.
// - Energy no charger could deliver (more than maxPowerW over the billed span plus an hour of
//   slack for clock jitter) is a corrupt register, not a bill: 0 Wh, meter samples ignored.
// - A billed span longer than maxSpanMs ends at start + maxSpanMs: time, idle minutes and
//   time-of-use are priced over that much; the metered energy is billed whole.
// Every rule is a comparison: nothing here, or in the pricing it feeds, loops over the span.
import type { AnomalyKind } from './sessions.tables';

export interface ChargerDataPolicy {
  clockSkewMs: number;
  maxSpanMs: number;
  /** The most power any charger delivers (megawatt charging is 3.75 MW). */
  maxPowerW: number;
}

const HOUR_MS = 3_600_000;

/** What a StartTransaction told us, and what we know about it. */
export interface StartReport {
  stationRegisteredAt: Date;
  startedAt: Date;
  startReceivedAt: Date;
  meterStartWh: number;
}

/** What a StopTransaction (or the CSMS closing a session itself) told us. */
export interface StopReport {
  stoppedAt: Date;
  stopReceivedAt: Date;
  meterStopWh: number;
}

export interface Finding {
  kind: AnomalyKind;
  message: string;
  details: Record<string, unknown>;
}

export interface Billable {
  startedAt: Date;
  stoppedAt: Date;
  meterStartWh: number;
  meterStopWh: number;
  /** False when the registers are not believed: energy 0, meter samples ignored. */
  energyTrusted: boolean;
  /** What the StartTransaction alone shows (recorded when it arrives). */
  atStart: Finding[];
  /** What the stop adds (recorded when the session closes). */
  atStop: Finding[];
}

const iso = (d: Date) => d.toISOString();

function plausible(at: Date, received: Date, registered: Date, p: ChargerDataPolicy): boolean {
  const ms = at.getTime();
  return ms >= registered.getTime() - p.clockSkewMs && ms <= received.getTime() + p.clockSkewMs;
}

export function judgeStart(r: StartReport, p: ChargerDataPolicy): { startedAt: Date; findings: Finding[] } {
  const findings: Finding[] = [];
  let startedAt = r.startedAt;
  if (!plausible(r.startedAt, r.startReceivedAt, r.stationRegisteredAt, p)) {
    startedAt = r.startReceivedAt;
    findings.push({
      kind: 'implausible_start_time',
      message: `Start time ${iso(r.startedAt)} is before the station was registered or after it was received; billed from ${iso(startedAt)}, when it was received`,
      details: { startedAt: iso(r.startedAt), billedFrom: iso(startedAt) },
    });
  }
  if (r.meterStartWh < 0) {
    findings.push({
      kind: 'negative_meter_reading',
      message: `meterStart ${r.meterStartWh} Wh is negative; billed 0 Wh`,
      details: { meterStartWh: r.meterStartWh },
    });
  }
  return { startedAt, findings };
}

export function billable(start: StartReport, stop: StopReport, p: ChargerDataPolicy): Billable {
  const judged = judgeStart(start, p);
  const atStop: Finding[] = [];
  const startedAt = judged.startedAt;
  let stoppedAt = stop.stoppedAt;
  const stopPlausible = plausible(stop.stoppedAt, stop.stopReceivedAt, start.stationRegisteredAt, p);
  if (!stopPlausible) {
    stoppedAt = stop.stopReceivedAt;
    atStop.push({
      kind: 'implausible_stop_time',
      message: `Stop time ${iso(stop.stoppedAt)} is before the station was registered or after it was received; billed up to ${iso(stoppedAt)}, when it was received`,
      details: { stoppedAt: iso(stop.stoppedAt), billedTo: iso(stoppedAt) },
    });
  } else if (stop.stoppedAt < start.startedAt && judged.startedAt === start.startedAt) {
    atStop.push({
      kind: 'stop_before_start',
      message: `Stop time ${iso(stop.stoppedAt)} is before the start ${iso(start.startedAt)}; billed no time`,
      details: { startedAt: iso(start.startedAt), stoppedAt: iso(stop.stoppedAt) },
    });
  }
  if (stoppedAt < startedAt) stoppedAt = startedAt;
  if (stoppedAt.getTime() - startedAt.getTime() > p.maxSpanMs) {
    const cappedAt = new Date(startedAt.getTime() + p.maxSpanMs);
    atStop.push({
      kind: 'span_over_maximum',
      message: `The session lasted from ${iso(startedAt)} to ${iso(stoppedAt)}, more than the ${p.maxSpanMs / 3_600_000} h allowed; time billed up to ${iso(cappedAt)}`,
      details: { billedFrom: iso(startedAt), stoppedAt: iso(stoppedAt), billedTo: iso(cappedAt) },
    });
    stoppedAt = cappedAt;
  }

  const meterStartWh = Math.max(0, start.meterStartWh);
  let energyTrusted = start.meterStartWh >= 0;
  if (stop.meterStopWh < 0) {
    energyTrusted = false;
    atStop.push({
      kind: 'negative_meter_reading',
      message: `meterStop ${stop.meterStopWh} Wh is negative; billed 0 Wh`,
      details: { meterStopWh: stop.meterStopWh },
    });
  } else if (stop.meterStopWh < start.meterStartWh) {
    energyTrusted = false;
    atStop.push({
      kind: 'meter_stop_below_start',
      message: `meterStop ${stop.meterStopWh} Wh is below meterStart ${start.meterStartWh} Wh; billed 0 Wh`,
      details: { meterStartWh: start.meterStartWh, meterStopWh: stop.meterStopWh },
    });
  } else if (energyTrusted) {
    const spanMs = stoppedAt.getTime() - startedAt.getTime();
    const maxEnergyWh = Math.floor((p.maxPowerW * (spanMs + HOUR_MS)) / HOUR_MS);
    const energyWh = stop.meterStopWh - start.meterStartWh;
    if (energyWh > maxEnergyWh) {
      energyTrusted = false;
      atStop.push({
        kind: 'implausible_energy',
        message: `${energyWh} Wh in ${Math.round(spanMs / 1000)} s is more than any charger delivers (at most ${maxEnergyWh} Wh at ${p.maxPowerW} W); billed 0 Wh`,
        details: { meterStartWh: start.meterStartWh, meterStopWh: stop.meterStopWh, maxEnergyWh },
      });
    }
  }
  return {
    startedAt,
    stoppedAt,
    meterStartWh,
    meterStopWh: energyTrusted ? stop.meterStopWh : meterStartWh,
    energyTrusted,
    atStart: judged.findings,
    atStop,
  };
}
