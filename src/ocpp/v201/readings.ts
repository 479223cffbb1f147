import type { OcppMeterValue } from '../../sessions/meter-readings';
import { ENERGY_REGISTER, normaliseMeterValues } from '../../sessions/meter-readings';
import type { MeterValue } from './messages';

/**
 * OCPP 2.0.1 meter values in the protocol-neutral shape the sessions module normalises: a number
 * with a power-of-ten `multiplier` becomes the plain value, `unitOfMeasure.unit` the unit (2.0.1's
 * default is Wh, like 1.6's). Signed meter values keep their plain reading; the signature stays in
 * the message log.
 */
export function toNeutralMeterValues(meterValue: readonly MeterValue[] = []): OcppMeterValue[] {
  return meterValue.map((mv) => ({
    timestamp: mv.timestamp,
    sampledValue: mv.sampledValue.map((sv) => ({
      value: String(sv.value * 10 ** (sv.unitOfMeasure?.multiplier ?? 0)),
      ...(sv.context !== undefined && { context: sv.context }),
      ...(sv.measurand !== undefined && { measurand: sv.measurand }),
      ...(sv.phase !== undefined && { phase: sv.phase }),
      ...(sv.location !== undefined && { location: sv.location }),
      ...(sv.unitOfMeasure?.unit !== undefined && { unit: sv.unitOfMeasure.unit }),
    })),
  }));
}

/**
 * The energy register in Wh of the readings in `context` (e.g. Transaction.Begin), else of any
 * reading when `context` is omitted: the earliest or latest as asked. Null when none was sent.
 */
export function energyRegisterWh(
  meterValue: readonly MeterValue[] | undefined,
  pick: 'first' | 'last',
  context?: string,
): { wh: number; at: Date } | null {
  const { samples } = normaliseMeterValues(toNeutralMeterValues(meterValue));
  const registers = samples
    .filter((s) => s.measurand === ENERGY_REGISTER && s.phase === null && (!context || s.context === context))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const chosen = pick === 'first' ? registers[0] : registers[registers.length - 1];
  return chosen ? { wh: Math.round(chosen.value), at: chosen.at } : null;
}
