import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsQueries } from './reports.queries';
import { ReportsService } from './reports.service';

@Module({
  controllers: [ReportsController],
  providers: [ReportsQueries, ReportsService],
})
export class ReportsModule {}
