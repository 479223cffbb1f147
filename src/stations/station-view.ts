import { ConnectorResponse, StationResponse } from './dto/station.response';
import type { StationView } from './stations.service';
import type { ConnectorRow } from './stations.tables';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toConnectorResponse = (c: ConnectorRow): ConnectorResponse => ({
  connectorId: c.connectorId,
  status: c.status,
  errorCode: c.errorCode,
  info: c.info,
  vendorErrorCode: c.vendorErrorCode,
  type: c.type,
  evseId: c.evseId,
  standard: c.standard,
  format: c.format,
  powerType: c.powerType,
  maxPowerW: c.maxPowerW,
  maxVoltageV: c.maxVoltageV,
  maxAmperageA: c.maxAmperageA,
  statusAt: iso(c.statusAt),
});

/**
 * The response shape of a station; the password hash never leaves the service. Registration and
 * charger-credential settings are for admins; users get the public part.
 */
export function toStationResponse(
  { station: s, connectors, distanceM }: StationView,
  forAdmin: boolean,
): StationResponse {
  const admin = forAdmin
    ? {
        registrationStatus: s.registrationStatus,
        securityProfile: s.securityProfile,
        hasPassword: s.passwordHash !== null,
        ocppVersions: s.ocppVersions,
      }
    : {};
  return {
    id: s.id,
    tenantId: s.tenantId,
    chargePointId: s.chargePointId,
    siteId: s.siteId,
    name: s.name,
    ...admin,
    online: s.online,
    ocppVersion: s.ocppVersion,
    lastSeenAt: iso(s.lastSeenAt),
    lastBootAt: iso(s.lastBootAt),
    vendor: s.vendor,
    model: s.model,
    serialNumber: s.serialNumber,
    firmwareVersion: s.firmwareVersion,
    status: s.status,
    errorCode: s.errorCode,
    connectors: connectors.map(toConnectorResponse),
    ...(distanceM === undefined || distanceM === null ? {} : { distanceM: Math.round(distanceM) }),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
