// Pure checks for a site's opening hours and a "lat,lng" point; no Nest imports.
import type { FieldError } from '../common/domain-error';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type OpeningHours = Partial<Record<(typeof WEEKDAYS)[number], [string, string][]>>;

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Every problem with `openingHours`, each naming its field: `openingHours.mon[0]`. */
export function openingHoursErrors(value: unknown): FieldError[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [{ field: 'openingHours', errors: ['openingHours must be an object keyed by mon..sun'] }];
  }
  const errors: FieldError[] = [];
  for (const [day, ranges] of Object.entries(value)) {
    const field = `openingHours.${day}`;
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      errors.push({ field, errors: [`${field} is not one of ${WEEKDAYS.join(', ')}`] });
      continue;
    }
    if (!Array.isArray(ranges)) {
      errors.push({ field, errors: [`${field} must be a list of ["HH:MM", "HH:MM"] ranges`] });
      continue;
    }
    ranges.forEach((range: unknown, i) => {
      const f = `${field}[${i}]`;
      const ok =
        Array.isArray(range) &&
        range.length === 2 &&
        range.every((x) => typeof x === 'string' && CLOCK.test(x)) &&
        range[0] !== '24:00' &&
        minutes(range[0] as string) < minutes(range[1] as string);
      if (!ok) errors.push({ field: f, errors: [`${f} must be ["HH:MM", "HH:MM"] with start before end`] });
    });
  }
  return errors;
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** "52.52,13.405" → a point, or null when malformed or out of range. */
export function parsePoint(text: string): GeoPoint | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const [latitude, longitude] = [Number(m[1]), Number(m[2])];
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}
