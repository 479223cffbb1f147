import { Module } from '@nestjs/common';
import { StationsModule } from '../stations/stations.module';
import { StationTariffController, TariffsController } from './tariffs.controller';
import { TariffsRepository } from './tariffs.repository';
import { TariffsService } from './tariffs.service';

@Module({
  imports: [StationsModule],
  controllers: [TariffsController, StationTariffController],
  providers: [TariffsRepository, TariffsService],
  exports: [TariffsService],
})
export class TariffsModule {}
