import type { ChangeAvailabilityDto, ResetDto, TriggerMessageDto } from './dto/core-commands.dto';

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
};
