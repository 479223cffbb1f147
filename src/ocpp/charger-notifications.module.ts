import { Module } from '@nestjs/common';
import { ChargerNotificationsRepository } from './charger-notifications.repository';
import { StationReportParts } from './station-report-parts.service';

/**
 * The reports OCPP 2.0.1 stations send besides charging, stored by the 2.0.1 handlers; other
 * modules read the parts answering one of their requests through `StationReportParts`.
 */
@Module({
  providers: [ChargerNotificationsRepository, StationReportParts],
  exports: [ChargerNotificationsRepository, StationReportParts],
})
export class ChargerNotificationsModule {}
