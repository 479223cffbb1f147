import type { ChargerSimulator } from './charger-simulator';
import type { StopReason, StopTransactionConf } from '../ocpp-types/ocpp16';
import {
  type ConnectorState,
  type Reservation,
  type StartChargingInput,
  type StartChargingResult,
  restingStatus,
} from './simulator-types';

const holds = (r: Reservation, idTag: string) => r.idTag === idTag || r.parentIdTag === idTag;

// A connector nobody holds and nothing runs on: what a reservation of connector 0 keeps one of.
export function isFree(sim: ChargerSimulator, c: ConnectorState): boolean {
  return (
    !c.transaction &&
    !c.pending &&
    !c.reservation &&
    c.availability === 'Operative' &&
    ['Available', 'Preparing'].includes(c.status) &&
    sim.chargePointAvailability === 'Operative'
  );
}

// Whether a driver with this idTag could plug in and start on the connector right now.
export function canStartSession(sim: ChargerSimulator, connectorId: number, idTag: string): boolean {
  const c = sim.connectors.get(connectorId);
  if (!c || c.transaction || c.pending || sim.chargePointAvailability === 'Inoperative') return false;
  if (c.availability === 'Inoperative' || !['Available', 'Preparing', 'Reserved'].includes(c.status))
    return false;
  if (c.reservation && !holds(c.reservation, idTag)) return false;
  // Someone else may not take the last free connector while the station is reserved.
  const station = sim.stationReservation;
  if (!station || holds(station, idTag) || c.reservation) return true;
  return [...sim.connectors.values()].some((other) => other !== c && isFree(sim, other));
}

// Session flows on one connector run one after the other, so a stop that arrives while the start
// is still reporting waits for it instead of being refused.
const flows = new WeakMap<ConnectorState, Promise<unknown>>();

function serialise<T>(connector: ConnectorState, work: () => Promise<T>): Promise<T> {
  const next = (flows.get(connector) ?? Promise.resolve()).catch(() => undefined).then(work);
  flows.set(connector, next);
  return next;
}

// Preparing, (Authorize), StartTransaction, Charging and periodic MeterValues, as firmware does.
export async function startSession(
  sim: ChargerSimulator,
  { connectorId, idTag, authorize = false }: StartChargingInput,
): Promise<StartChargingResult> {
  const connector = sim.requireConnector(connectorId);
  if (connector.pending !== 'start' && !canStartSession(sim, connectorId, idTag)) {
    throw new Error(`Connector ${connectorId} of ${sim.chargePointId} cannot start a session for ${idTag}`);
  }
  connector.pending = 'start';
  return serialise(connector, () => runStart(sim, connector, idTag, authorize));
}

async function runStart(
  sim: ChargerSimulator,
  connector: ConnectorState,
  idTag: string,
  authorize: boolean,
): Promise<StartChargingResult> {
  const { connectorId } = connector;
  try {
    await sim.statusNotification(connectorId, 'Preparing');
    if (authorize) {
      const { idTagInfo } = await sim.authorize(idTag);
      if (idTagInfo.status !== 'Accepted') {
        await sim.statusNotification(connectorId, restingStatus(connector));
        return { accepted: false, idTagInfo };
      }
    }
    const station = sim.stationReservation;
    const reservationId =
      connector.reservation?.reservationId ??
      (station && holds(station, idTag) ? station.reservationId : undefined);
    const reply = await sim.startTransaction({ connectorId, idTag, reservationId });
    if (reply.idTagInfo.status !== 'Accepted') {
      // StopTransactionOnInvalidId (OCPP 1.6 9.1): end the refused transaction straight away.
      if (sim.configuration.getBoolean('StopTransactionOnInvalidId')) {
        const meterStop = connector.meter.registerWh;
        await sim.stopTransaction({
          transactionId: reply.transactionId,
          meterStop,
          reason: 'DeAuthorized',
        });
      }
      await sim.statusNotification(connectorId, restingStatus(connector));
      return { accepted: false, idTagInfo: reply.idTagInfo, transactionId: reply.transactionId };
    }
    await sim.statusNotification(connectorId, 'Charging');
    sim.startMeterValues(connectorId);
    return { accepted: true, idTagInfo: reply.idTagInfo, transactionId: reply.transactionId };
  } finally {
    if (connector.pending === 'start') connector.pending = undefined;
  }
}

// Finishing, StopTransaction, then Available (or Unavailable when a ChangeAvailability waited).
export async function stopSession(
  sim: ChargerSimulator,
  connectorId: number,
  reason: StopReason,
): Promise<StopTransactionConf> {
  const connector = sim.requireConnector(connectorId);
  return serialise(connector, () => runStop(sim, connector, reason));
}

async function runStop(
  sim: ChargerSimulator,
  connector: ConnectorState,
  reason: StopReason,
): Promise<StopTransactionConf> {
  const { connectorId, transaction } = connector;
  if (!transaction)
    throw new Error(`Connector ${connectorId} of ${sim.chargePointId} has no transaction to stop`);
  connector.pending = 'stop';
  try {
    await sim.statusNotification(connectorId, 'Finishing');
    const idTag = reason === 'Local' ? transaction.idTag : undefined;
    const reply = await sim.stopTransaction({ transactionId: transaction.transactionId, reason, idTag });
    if (connector.scheduledAvailability) {
      connector.availability = connector.scheduledAvailability;
      connector.scheduledAvailability = undefined;
    }
    await sim.statusNotification(connectorId, restingStatus(connector));
    return reply;
  } finally {
    connector.pending = undefined;
  }
}
