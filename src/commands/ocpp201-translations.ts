import { randomInt } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import type { ChangeAvailabilityDto, ResetDto, TriggerMessageDto } from './dto/core-commands.dto';

/**
 * 2.0.1 asks a request id of UpdateFirmware and GetLog; the station echoes it in its status
 * notifications, so the update or upload it names is stored with it before it is sent.
 */
export const newRequestId = () => randomInt(1, 2 ** 31 - 1);

interface Retries {
  retries?: number;
  retryInterval?: number;
}

/**
 * The OCPP 1.6 commands of the API contract, as the OCPP 2.0.1 request a 2.0.1 station gets (the
 * reply goes back as the charger gave it: 2.0.1 adds e.g. `Scheduled` and `UnknownConnector`).
 * Kilowatt's connector n of a 2.0.1 station is EVSE n; connector 0 is the station as a whole.
 */
export const translate201 = {
  /** Soft waits until the station is idle (OnIdle); Hard resets at once (Immediate). */
  reset: (dto: ResetDto) => ({ type: dto.type === 'Hard' ? 'Immediate' : 'OnIdle' }),

  unlockConnector: (connectorId: number) => ({ evseId: connectorId, connectorId: 1 }),

  changeAvailability: (dto: ChangeAvailabilityDto) => ({
    operationalStatus: dto.type,
    ...(dto.connectorId > 0 && { evse: { id: dto.connectorId } }),
  }),

  /** DiagnosticsStatusNotification is 2.0.1's LogStatusNotification; a StatusNotification names its connector. */
  triggerMessage: (dto: TriggerMessageDto) => ({
    requestedMessage:
      dto.requestedMessage === 'DiagnosticsStatusNotification'
        ? 'LogStatusNotification'
        : dto.requestedMessage,
    ...(dto.connectorId !== undefined &&
      dto.connectorId > 0 && {
        evse:
          dto.requestedMessage === 'StatusNotification'
            ? { id: dto.connectorId, connectorId: 1 }
            : { id: dto.connectorId },
      }),
  }),

  /**
   * ReserveNow: the reservation of connector n goes to the connector's declared EVSE, else EVSE n;
   * connector 0 (any connector of the station) names no EVSE. The idTag is a Central idToken, as
   * in a remote start, so that the holder's start from the app matches it.
   */
  reserveNow: (r: {
    reservationId: number;
    expiryDate: string;
    idTag: string;
    parentIdTag?: string;
    evseId: number | null;
  }) => ({
    id: r.reservationId,
    expiryDateTime: r.expiryDate,
    idToken: { idToken: r.idTag, type: 'Central' },
    ...(r.evseId !== null && r.evseId > 0 && { evseId: r.evseId }),
    ...(r.parentIdTag !== undefined && { groupIdToken: { idToken: r.parentIdTag, type: 'Central' } }),
  }),

  /**
   * UpdateFirmware: the location and retrieve date move into `firmware`, beside the fields of a
   * signed firmware (L01) when given.
   */
  updateFirmware: (
    r: {
      location: string;
      retrieveDate: string;
      installDate?: string;
      signingCertificate?: string;
      signature?: string;
      requestId: number;
    } & Retries,
  ) => ({
    requestId: r.requestId,
    firmware: {
      location: r.location,
      retrieveDateTime: r.retrieveDate,
      ...(r.installDate !== undefined && { installDateTime: r.installDate }),
      ...(r.signingCertificate !== undefined && { signingCertificate: r.signingCertificate }),
      ...(r.signature !== undefined && { signature: r.signature }),
    },
    ...(r.retries !== undefined && { retries: r.retries }),
    ...(r.retryInterval !== undefined && { retryInterval: r.retryInterval }),
  }),

  /** GetDiagnostics is 2.0.1's GetLog of the diagnostics log, or of the security log when asked. */
  getLog: (
    r: {
      location: string;
      logType?: string;
      startTime?: string;
      stopTime?: string;
      requestId: number;
    } & Retries,
  ) => ({
    logType: r.logType ?? 'DiagnosticsLog',
    requestId: r.requestId,
    log: {
      remoteLocation: r.location,
      ...(r.startTime !== undefined && { oldestTimestamp: r.startTime }),
      ...(r.stopTime !== undefined && { latestTimestamp: r.stopTime }),
    },
    ...(r.retries !== undefined && { retries: r.retries }),
    ...(r.retryInterval !== undefined && { retryInterval: r.retryInterval }),
  }),
};

/** A 2.0.1 UpdateFirmware answer other than Accepted is a refusal, as a 1.6 CALLERROR would be. */
export function requireAccepted(chargePointId: string, action: string, reply: { status?: string }): void {
  if (reply.status === 'Accepted' || reply.status === 'AcceptedCanceled') return;
  throw new DomainError(
    'CHARGER_REJECTED',
    `${chargePointId} answered ${action} with ${reply.status ?? 'no status'}`,
  );
}
