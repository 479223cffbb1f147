import { Injectable } from '@nestjs/common';
import { ReservationsRepository } from './reservations.repository';

/** How a station says a reservation ended without being used. */
export type ReservationEnd = 'expired' | 'removed';

/**
 * What the OCPP handlers tell the commands module about reservations the station ends on its own:
 * it expired there, or it was removed (OCPP 2.0.1 H02/H03 ReservationStatusUpdate). A reservation
 * that is no longer live (used, cancelled, already expired) is left as it is.
 */
@Injectable()
export class ReservationStatusService {
  constructor(private readonly reservations: ReservationsRepository) {}

  async onReservationEnded(
    tenantId: string,
    stationId: string,
    reservationId: number,
    end: ReservationEnd,
  ): Promise<void> {
    await this.reservations.endLive(
      tenantId,
      stationId,
      reservationId,
      end === 'expired' ? 'expired' : 'cancelled',
    );
  }
}
