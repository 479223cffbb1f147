import type { FieldError } from '../common/domain-error';

export interface ProfileToCheck {
  transactionId?: number | string;
  chargingProfilePurpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: string;
  validFrom?: string;
  validTo?: string;
  chargingSchedule: {
    startSchedule?: string;
    chargingSchedulePeriod: { startPeriod: number; limit: number }[];
  };
}

/**
 * The OCPP 1.6 rules a charging profile must meet beyond its field types (3.13, 7.8), checked
 * before it is sent so that an admin gets a 400 naming the field instead of a charger's Rejected.
 * Nothing stricter than 1.6: a TxProfile may leave out transactionId (it then limits the
 * connector's running transaction), and a limit of 0 pauses charging.
 */
export function chargingProfileErrors(
  connectorId: number,
  p: ProfileToCheck,
  prefix = 'csChargingProfiles',
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) =>
    errors.push({ field: `${prefix}.${field}`, errors: [message] });

  if (p.chargingProfilePurpose === 'TxProfile') {
    if (connectorId === 0) add('connectorId', 'a TxProfile applies to a connector, not to connectorId 0');
  } else if (p.transactionId !== undefined) {
    add('transactionId', 'transactionId is allowed only in a TxProfile');
  }
  if (p.chargingProfilePurpose === 'ChargePointMaxProfile' && connectorId !== 0) {
    add('chargingProfilePurpose', 'a ChargePointMaxProfile must be set on connectorId 0');
  }
  if (p.chargingProfileKind === 'Recurring' && !p.recurrencyKind) {
    add('recurrencyKind', 'a Recurring profile needs recurrencyKind');
  }
  if (p.chargingProfileKind !== 'Recurring' && p.recurrencyKind) {
    add('recurrencyKind', 'recurrencyKind is allowed only in a Recurring profile');
  }
  if (p.chargingProfileKind === 'Recurring' && !p.chargingSchedule.startSchedule) {
    add('chargingSchedule.startSchedule', 'a Recurring profile needs startSchedule');
  }
  if (p.chargingProfileKind === 'Relative' && p.chargingSchedule.startSchedule) {
    add('chargingSchedule.startSchedule', 'a Relative profile has no startSchedule');
  }
  if (p.validFrom && p.validTo && Date.parse(p.validFrom) >= Date.parse(p.validTo)) {
    add('validTo', 'validTo must be after validFrom');
  }

  const periods = p.chargingSchedule.chargingSchedulePeriod;
  periods.forEach((period, i) => {
    const field = `chargingSchedule.chargingSchedulePeriod.${i}`;
    if (i === 0 && period.startPeriod !== 0) add(`${field}.startPeriod`, 'the first period must start at 0');
    if (i > 0 && period.startPeriod <= periods[i - 1].startPeriod) {
      add(`${field}.startPeriod`, 'periods must be in ascending order of startPeriod');
    }
    if (!(period.limit >= 0)) add(`${field}.limit`, 'limit must not be negative');
  });
  return errors;
}
