import type { ChargerSimulator } from './charger-simulator';
import { uploadDiagnostics } from './diagnostics';
import type {
  AvailabilityType,
  CommandReply,
  CommandRequest,
  FirmwareStatus,
  IncomingAction,
} from '../ocpp-types/ocpp16';
import { isFree } from './charging-session';
import { type HandlerOutcome, type Reservation, restingStatus } from './simulator-types';

type Outcome<A extends IncomingAction> = HandlerOutcome<CommandReply<A>>;

export type DefaultHandlers = {
  [A in IncomingAction]: (req: CommandRequest<A>) => Outcome<A> | Promise<Outcome<A>>;
};

const FIRMWARE_STEPS: FirmwareStatus[] = ['Downloading', 'Downloaded', 'Installing', 'Installed'];

export function defaultCommandHandlers(sim: ChargerSimulator): DefaultHandlers {
  const allConnectorIds = (): number[] => [...sim.connectors.keys()];
  const announce = (ids: number[]) => async (): Promise<void> => sim.announceStatuses(ids);

  return {
    RemoteStartTransaction: ({ connectorId, idTag, chargingProfile }) => {
      const target = connectorId ?? allConnectorIds().find((id) => sim.canStart(id, idTag));
      if (target === undefined || !sim.canStart(target, idTag)) return { reply: { status: 'Rejected' } };
      // OCPP 1.6 5.11: a profile sent with RemoteStartTransaction must be a TxProfile.
      if (chargingProfile && chargingProfile.chargingProfilePurpose !== 'TxProfile')
        return { reply: { status: 'Rejected' } };
      sim.requireConnector(target).pending = 'start';
      return {
        reply: { status: 'Accepted' },
        followUp: async () => {
          if (chargingProfile) sim.chargingProfiles.install(target, chargingProfile);
          await sim.startCharging({
            connectorId: target,
            idTag,
            authorize: sim.configuration.getBoolean('AuthorizeRemoteTxRequests'),
          });
        },
      };
    },

    RemoteStopTransaction: ({ transactionId }) => {
      const connector = sim.connectorByTransaction(transactionId);
      if (!connector || connector.pending === 'stop') return { reply: { status: 'Rejected' } };
      connector.pending = 'stop';
      return {
        reply: { status: 'Accepted' },
        followUp: async () => void (await sim.stopCharging(connector.connectorId, 'Remote')),
      };
    },

    Reset: ({ type }) => ({ reply: { status: 'Accepted' }, followUp: () => reboot(sim, type) }),

    UnlockConnector: ({ connectorId }) => {
      const connector = sim.connectors.get(connectorId);
      if (!connector) return { reply: { status: 'NotSupported' } };
      if (!connector.transaction || connector.pending === 'stop') return { reply: { status: 'Unlocked' } };
      // OCPP 1.6 5.18: unlocking a connector in use ends its transaction with reason UnlockCommand.
      connector.pending = 'stop';
      return {
        reply: { status: 'Unlocked' },
        followUp: async () => void (await sim.stopCharging(connectorId, 'UnlockCommand')),
      };
    },

    ChangeAvailability: ({ connectorId, type }) => {
      const { status, changed } = changeAvailability(sim, connectorId, type);
      return { reply: { status }, followUp: changed.length > 0 ? announce(changed) : undefined };
    },

    GetConfiguration: ({ key }) => ({ reply: sim.configuration.list(key) }),

    ChangeConfiguration: ({ key, value }) => {
      if (key === 'AuthorizationKey') return changeAuthorizationKey(sim, value);
      const status = sim.configuration.change(key, value);
      if (status === 'Accepted') applyConfiguration(sim, key);
      return { reply: { status } };
    },

    ClearCache: () => ({ reply: { status: 'Accepted' } }),

    TriggerMessage: ({ requestedMessage, connectorId }) => {
      if (connectorId !== undefined && connectorId !== 0 && !sim.connectors.has(connectorId)) {
        return { reply: { status: 'Rejected' } };
      }
      const meterConnectors =
        connectorId === undefined || connectorId === 0 ? allConnectorIds() : [connectorId];
      const send: Record<typeof requestedMessage, () => Promise<unknown>> = {
        BootNotification: () => sim.boot(),
        Heartbeat: () => sim.heartbeat(),
        // Idle is reported only when triggered and nothing is in progress (OCPP 1.6 4.4 and 4.5).
        DiagnosticsStatusNotification: () =>
          sim.diagnosticsStatusNotification(sim.diagnosticsStatus === 'Uploading' ? 'Uploading' : 'Idle'),
        FirmwareStatusNotification: () =>
          sim.firmwareStatusNotification(
            ['Downloading', 'Downloaded', 'Installing'].includes(sim.firmwareStatus)
              ? sim.firmwareStatus
              : 'Idle',
          ),
        StatusNotification: () => sim.announceStatuses(connectorId === undefined ? undefined : [connectorId]),
        MeterValues: async () => {
          for (const id of meterConnectors) await sim.meterValues(id, undefined, undefined, 'Trigger');
        },
      };
      return { reply: { status: 'Accepted' }, followUp: async () => void (await send[requestedMessage]()) };
    },

    UpdateFirmware: ({ retrieveDate }) => ({
      reply: {},
      followUp: async () => {
        sim.schedule('UpdateFirmware', Date.parse(retrieveDate) - Date.now(), async () => {
          for (const [i, status] of FIRMWARE_STEPS.entries()) {
            if (i > 0) await sim.sleep(sim.options.firmwareStepDelayMs);
            await sim.firmwareStatusNotification(status);
          }
        });
      },
    }),

    GetDiagnostics: (request) => {
      const fileName = `${sim.chargePointId}-diagnostics-${new Date().toISOString().replace(/[-:.]/g, '')}.txt`;
      return { reply: { fileName }, followUp: () => uploadDiagnostics(sim, request, fileName) };
    },

    DataTransfer: () => ({ reply: { status: 'UnknownVendorId' } }),

    ReserveNow: ({ connectorId, expiryDate, idTag, parentIdTag, reservationId }) => {
      const reservation = { reservationId, idTag, parentIdTag, expiresAt: new Date(expiryDate) };
      if (connectorId === 0) return reserveStation(sim, reservation);
      const connector = sim.connectors.get(connectorId);
      if (!connector) return { reply: { status: 'Rejected' } };
      if (connector.status === 'Faulted') return { reply: { status: 'Faulted' } };
      if (connector.availability === 'Inoperative') return { reply: { status: 'Unavailable' } };
      const heldByOther = connector.reservation && connector.reservation.reservationId !== reservationId;
      if (
        connector.transaction ||
        connector.pending ||
        heldByOther ||
        !['Available', 'Reserved'].includes(connector.status)
      ) {
        return { reply: { status: 'Occupied' } };
      }
      // A reservation id that already exists is replaced (OCPP 1.6 5.13).
      for (const other of sim.connectors.values()) {
        if (other.reservation?.reservationId === reservationId) other.reservation = undefined;
      }
      if (sim.stationReservation?.reservationId === reservationId) sim.stationReservation = undefined;
      connector.reservation = reservation;
      return {
        reply: { status: 'Accepted' },
        followUp: async () => {
          await sim.statusNotification(connectorId, 'Reserved');
          sim.schedule(
            `reservation ${reservationId} expiry`,
            reservation.expiresAt.getTime() - Date.now(),
            async () => {
              if (connector.reservation !== reservation) return;
              connector.reservation = undefined;
              if (!connector.transaction) await sim.statusNotification(connectorId, restingStatus(connector));
            },
          );
        },
      };
    },

    CancelReservation: ({ reservationId }) => {
      if (sim.stationReservation?.reservationId === reservationId) {
        sim.stationReservation = undefined;
        return { reply: { status: 'Accepted' } };
      }
      const connector = [...sim.connectors.values()].find(
        (c) => c.reservation?.reservationId === reservationId,
      );
      if (!connector) return { reply: { status: 'Rejected' } };
      connector.reservation = undefined;
      return { reply: { status: 'Accepted' }, followUp: announce([connector.connectorId]) };
    },

    SendLocalList: ({ listVersion, localAuthorizationList = [], updateType }) => {
      if (!sim.configuration.getBoolean('LocalAuthListEnabled')) return { reply: { status: 'NotSupported' } };
      if (localAuthorizationList.length > (sim.configuration.getInteger('SendLocalListMaxLength') ?? 0)) {
        return { reply: { status: 'Failed' } };
      }
      if (updateType === 'Differential' && listVersion <= sim.localListVersion)
        return { reply: { status: 'VersionMismatch' } };
      if (updateType === 'Full') sim.localAuthList.clear();
      for (const { idTag, idTagInfo } of localAuthorizationList) {
        if (idTagInfo) sim.localAuthList.set(idTag, idTagInfo);
        else sim.localAuthList.delete(idTag);
      }
      sim.localListVersion = listVersion;
      return { reply: { status: 'Accepted' } };
    },

    GetLocalListVersion: () => ({
      reply: {
        listVersion: sim.configuration.getBoolean('LocalAuthListEnabled') ? sim.localListVersion : -1,
      },
    }),

    SetChargingProfile: ({ connectorId, csChargingProfiles: profile }) => {
      const rejected = { reply: { status: 'Rejected' as const } };
      if (connectorId !== 0 && !sim.connectors.has(connectorId)) return rejected;
      if (profile.stackLevel > (sim.configuration.getInteger('ChargeProfileMaxStackLevel') ?? 0))
        return rejected;
      const maxPeriods = sim.configuration.getInteger('ChargingScheduleMaxPeriods') ?? 0;
      if (profile.chargingSchedule.chargingSchedulePeriod.length > maxPeriods) return rejected;
      if (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && connectorId !== 0) return rejected;
      if (profile.chargingProfilePurpose === 'TxProfile') {
        // OCPP 1.6 3.13.2: a TxProfile needs a running transaction on that connector.
        const transaction = sim.connectors.get(connectorId)?.transaction;
        if (!transaction) return rejected;
        if (profile.transactionId !== undefined && profile.transactionId !== transaction.transactionId)
          return rejected;
      }
      sim.chargingProfiles.install(connectorId, profile);
      return { reply: { status: 'Accepted' } };
    },

    ClearChargingProfile: (filter) => ({
      reply: { status: sim.chargingProfiles.clear(filter) > 0 ? 'Accepted' : 'Unknown' },
    }),

    GetCompositeSchedule: ({ connectorId, duration, chargingRateUnit = 'W' }) => {
      if (connectorId !== 0 && !sim.connectors.has(connectorId)) return { reply: { status: 'Rejected' } };
      const maxPowerW = sim.options.powerW * (connectorId === 0 ? sim.connectors.size : 1);
      const schedule = sim.chargingProfiles.composite(connectorId, duration, chargingRateUnit, {
        voltageV: 230,
        phases: 3,
        maxPowerW,
      });
      return {
        reply: {
          status: 'Accepted',
          connectorId,
          scheduleStart: schedule.startSchedule,
          chargingSchedule: schedule,
        },
      };
    },
  };
}

// ReserveNow on connector 0 (OCPP 1.6 5.13): only with ReserveConnectorZeroSupported, and only while
// a connector is free to keep for the holder. Connectors stay Available: any one of them is held.
function reserveStation(sim: ChargerSimulator, reservation: Reservation): Outcome<'ReserveNow'> {
  if (!sim.configuration.getBoolean('ReserveConnectorZeroSupported'))
    return { reply: { status: 'Rejected' } };
  if (sim.chargePointAvailability === 'Inoperative') return { reply: { status: 'Unavailable' } };
  const held = sim.stationReservation;
  if (held && held.reservationId !== reservation.reservationId) return { reply: { status: 'Occupied' } };
  if (![...sim.connectors.values()].some((c) => isFree(sim, c))) return { reply: { status: 'Occupied' } };
  sim.stationReservation = reservation;
  sim.schedule(
    `reservation ${reservation.reservationId} expiry`,
    reservation.expiresAt.getTime() - Date.now(),
    async () => {
      if (sim.stationReservation === reservation) sim.stationReservation = undefined;
    },
  );
  return { reply: { status: 'Accepted' } };
}

// Stops running sessions, drops the connection and, with `reconnect`, comes back and boots.
async function reboot(sim: ChargerSimulator, type: 'Hard' | 'Soft'): Promise<void> {
  for (const connector of sim.connectors.values()) {
    if (!connector.transaction) continue;
    await sim.stopCharging(connector.connectorId, type === 'Soft' ? 'SoftReset' : 'HardReset');
  }
  const heartbeating = sim.heartbeating;
  await sim.close({ code: 1012, reason: `${type} reset` });
  if (!sim.options.reconnect) return;
  await sim.connect();
  const boot = await sim.boot();
  if (boot.status !== 'Accepted') return;
  await sim.announceStatuses();
  if (heartbeating) sim.startHeartbeats();
}

// OCPP 1.6 security whitepaper: AuthorizationKey is write-only (never listed by GetConfiguration),
// at least 16 characters; once accepted, the charge point reconnects with it as its password.
function changeAuthorizationKey(sim: ChargerSimulator, key: string): Outcome<'ChangeConfiguration'> {
  if (key.length < 16 || key.length > 40) return { reply: { status: 'Rejected' } };
  return {
    reply: { status: 'Accepted' },
    followUp: async () => {
      sim.usePassword(key);
      const heartbeating = sim.heartbeating;
      const metering = sim.meteringConnectors;
      await sim.close({ code: 1000, reason: 'AuthorizationKey changed' });
      await sim.connect();
      if (heartbeating) sim.startHeartbeats();
      for (const connectorId of metering) sim.startMeterValues(connectorId);
    },
  };
}

// Connectors in a transaction change when it ends (OCPP 1.6 5.2: Scheduled).
function changeAvailability(
  sim: ChargerSimulator,
  connectorId: number,
  type: AvailabilityType,
): { status: 'Accepted' | 'Rejected' | 'Scheduled'; changed: number[] } {
  if (connectorId !== 0 && !sim.connectors.has(connectorId)) return { status: 'Rejected', changed: [] };
  const targets = connectorId === 0 ? [...sim.connectors.values()] : [sim.requireConnector(connectorId)];
  const changed: number[] = [];
  if (connectorId === 0 && sim.chargePointAvailability !== type) {
    sim.chargePointAvailability = type;
    changed.push(0);
  }
  let scheduled = false;
  for (const connector of targets) {
    if (connector.transaction || connector.pending) {
      connector.scheduledAvailability = type;
      scheduled = scheduled || connector.availability !== type;
    } else if (connector.availability !== type) {
      connector.availability = type;
      changed.push(connector.connectorId);
    }
  }
  return { status: scheduled ? 'Scheduled' : 'Accepted', changed };
}

// Keys whose new value the running charger acts on at once.
function applyConfiguration(sim: ChargerSimulator, key: string): void {
  if (key === 'HeartbeatInterval') {
    sim.heartbeatIntervalSeconds = sim.configuration.getInteger(key);
    if (sim.heartbeating) sim.startHeartbeats();
  }
  if (key === 'MeterValueSampleInterval') {
    sim.meterIntervalMs = (sim.configuration.getInteger(key) ?? 0) * 1000;
    for (const connectorId of sim.meteringConnectors) sim.startMeterValues(connectorId);
  }
}
