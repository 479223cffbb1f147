import { Module } from '@nestjs/common';
import { DeviceModelRepository } from './device-model.repository';
import { DeviceModelService } from './device-model.service';

/** The OCPP 2.0.1 device model: stored by the 2.0.1 handlers, read and set by operator commands. */
@Module({
  providers: [DeviceModelService, DeviceModelRepository],
  exports: [DeviceModelService],
})
export class DeviceModelModule {}
