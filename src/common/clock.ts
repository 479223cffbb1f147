import { DynamicModule, Global, Injectable, Module } from '@nestjs/common';

/**
 * The time the application decides by, where a decision depends on time passing (an API key's
 * expiry, a station's presence interval). Production reads the system clock; the tests give the
 * application one they can move forward instead of sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now();
  }
}

/** Provides one Clock to the whole application: the system clock unless one is given. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new Clock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
