import { Module } from '@nestjs/common';
import { DisplayMessageRecordsService } from './display-message-records.service';
import { DisplayMessagesRepository } from './display-messages.repository';
import { MonitoringRecordsService } from './monitoring-records.service';
import { MonitoringRepository } from './monitoring.repository';

/**
 * What Kilowatt keeps of OCPP 2.0.1 display messages and variable monitoring: written by the
 * operator commands and by the 2.0.1 handlers (NotifyDisplayMessages, NotifyEvent).
 */
@Module({
  providers: [
    DisplayMessageRecordsService,
    DisplayMessagesRepository,
    MonitoringRecordsService,
    MonitoringRepository,
  ],
  exports: [DisplayMessageRecordsService, MonitoringRecordsService],
})
export class DisplayMonitoringModule {}
