import { Injectable } from '@nestjs/common';

/** How long after its TriggerMessage a BootNotification still counts as the one asked for. */
export const REQUESTED_BOOT_WINDOW_MS = 60_000;

/** Whether an outbound call asks the charger for a BootNotification (OCPP 1.6 5.17). */
export const asksForBoot = (action: string, payload: object): boolean =>
  action === 'TriggerMessage' &&
  (payload as { requestedMessage?: unknown }).requestedMessage === 'BootNotification';

/**
 * The BootNotifications the central system asked for with TriggerMessage, noted by the node that
 * holds the charger's socket (where a cluster routes the call, and where the boot then arrives).
 * Such a boot is an answer, not a reboot: it must not end the charger's sessions.
 */
@Injectable()
export class RequestedBoots {
  /** chargePointId → until when (epoch ms) its next BootNotification was asked for. */
  private readonly expected = new Map<string, number>();

  /** Noted before the call is sent: a charger may send the boot in the same breath as its reply. */
  expect(chargePointId: string, now = Date.now()): void {
    for (const [id, until] of this.expected) if (until <= now) this.expected.delete(id);
    this.expected.set(chargePointId, now + REQUESTED_BOOT_WINDOW_MS);
  }

  /** The charger refused the TriggerMessage or never answered it: no boot is coming. */
  forget(chargePointId: string): void {
    this.expected.delete(chargePointId);
  }

  /** True, once, for a boot that answers a TriggerMessage still within its window. */
  take(chargePointId: string, now = Date.now()): boolean {
    const until = this.expected.get(chargePointId);
    this.expected.delete(chargePointId);
    return until !== undefined && until > now;
  }
}
