import { Injectable } from '@nestjs/common';
import { ChargerNotificationsRepository } from './charger-notifications.repository';

/**
 * The stored parts of a report a station sends in answer to a request of ours (ReportChargingProfiles
 * to GetChargingProfiles, …), matched by the `requestId` we sent. Read from the database, so that
 * any node of a cluster sees the parts whichever node holds the station's connection.
 */
@Injectable()
export class StationReportParts {
  constructor(private readonly notifications: ChargerNotificationsRepository) {}

  /** The payloads stored so far, in the order they were stored. */
  async find(tenantId: string, stationId: string, action: string, requestId: number): Promise<unknown[]> {
    const rows = await this.notifications.partsOfRequest(tenantId, stationId, action, requestId);
    return rows.map((r) => r.payload);
  }
}
