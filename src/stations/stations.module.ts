import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { ChargerStateService } from './charger-state.service';
import { QrController } from './qr.controller';
import { SitesController } from './sites.controller';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';
import { StationsController } from './stations.controller';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

@Module({
  imports: [TenantsModule],
  controllers: [SitesController, StationsController, QrController],
  providers: [SitesRepository, SitesService, StationsRepository, StationsService, ChargerStateService],
  // ChargerStateService writes what chargers report (boot, status, presence); the OCPP handlers use
  // it, and the gateway as its ChargerDirectory and StationPresence.
  exports: [StationsService, SitesService, ChargerStateService],
})
export class StationsModule {}
