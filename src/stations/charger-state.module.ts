import { Module } from '@nestjs/common';
import { ChargerStateService } from './charger-state.service';

/** Charger-reported station state, written by the OCPP gateway and its handlers. */
@Module({ providers: [ChargerStateService], exports: [ChargerStateService] })
export class ChargerStateModule {}
