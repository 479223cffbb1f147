import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../common/domain-error';

/** A part of a report a station sends in several messages: all but the last say `tbc: true`. */
export interface ReportPart {
  tbc?: boolean;
}

export interface AwaitReportOptions {
  /** How long the station has, from now, to have its last part stored. */
  timeoutMs: number;
  /** How often the stored parts are read again. */
  pollMs?: number;
  /** Named in the CHARGER_TIMEOUT message: "ReportChargingProfiles of CP-1". */
  what: string;
}

/**
 * Waits for the parts of a report a station sends in answer to one of our requests, as they are
 * stored (committed) by whichever node holds its connection: `read` returns the parts stored so far.
 * The report is complete once a part without `tbc` is stored — a station sends each part after the
 * previous one was answered, so the earlier parts are stored by then. A report still incomplete at
 * the deadline is a CHARGER_TIMEOUT, as a call the station leaves unanswered.
 */
export async function awaitReport<T extends ReportPart>(
  read: () => Promise<T[]>,
  { timeoutMs, pollMs = 100, what }: AwaitReportOptions,
): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const parts = await read();
    if (parts.some((p) => p.tbc !== true)) return parts;
    if (Date.now() >= deadline)
      throw new DomainError(
        'CHARGER_TIMEOUT',
        `${what}: ${parts.length} part(s) received, the last one did not come within ${timeoutMs} ms`,
      );
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}
