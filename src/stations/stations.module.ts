import { Module } from '@nestjs/common';
import { QrController } from './qr.controller';
import { SitesController } from './sites.controller';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';
import { StationsController } from './stations.controller';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';

@Module({
  controllers: [SitesController, StationsController, QrController],
  providers: [SitesRepository, SitesService, StationsRepository, StationsService],
  exports: [StationsService, SitesService],
})
export class StationsModule {}
