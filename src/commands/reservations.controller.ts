import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { CommandErrors } from './command-docs';
import { CommandStatusResponse } from './dto/command.response';
import {
  CancelReservationDto,
  CreateReservationDto,
  ReservationPage,
  ReservationQueryDto,
  ReservationResponse,
  ReserveNowDto,
  ReserveNowResponse,
} from './dto/reservation.dto';
import { ReservationsService } from './reservations.service';
import { ApiErrors } from '../common/api-errors';

const id = uuidParam('id');

@ApiTags('reservations')
@Controller('api/v1')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  @Post('stations/:id/commands/reserve-now')
  @HttpCode(200)
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'ReserveNow: reserve a connector for an idTag until expiryDate',
    description:
      'The reservationId is allocated by Kilowatt. A connector holds one live reservation (409 CONNECTOR_RESERVED). ' +
      'An OCPP 2.0.1 station gets ReserveNow {id, expiryDateTime, idToken {idToken, type: Central}, evseId, groupIdToken}: ' +
      "the connector's declared evseId, else EVSE n for connector n; connector 0 names no EVSE. " +
      'Its ReservationStatusUpdate ends the reservation: Expired → expired, Removed → cancelled.',
  })
  @ApiOkResponse({ type: ReserveNowResponse })
  @CommandErrors()
  @ApiErrors({ CONNECTOR_RESERVED: 'the connector holds a live reservation' })
  reserveNow(@CurrentActor() actor: Actor, @Param('id', id) stationId: string, @Body() dto: ReserveNowDto) {
    return this.reservations.reserveNow(actor, stationId, dto);
  }

  @Post('stations/:id/commands/cancel-reservation')
  @HttpCode(200)
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'CancelReservation by its reservationId',
    description:
      'The same request for OCPP 1.6 and 2.0.1 stations; Accepted marks the reservation cancelled.',
  })
  @ApiOkResponse({ type: CommandStatusResponse })
  @CommandErrors()
  cancelReservation(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: CancelReservationDto,
  ) {
    return this.reservations.cancelReservation(actor, stationId, dto);
  }

  @Post('reservations')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: "Reserve a connector for the caller's own idTag",
    description:
      'Only where the operator allows user reservations (tenant setting allowUserReservations). ' +
      'A charger that does not accept answers with the reservation in status `rejected` and its chargerStatus.',
  })
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiErrors(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'STATION_OFFLINE',
    'CONNECTOR_RESERVED',
    'CHARGER_TIMEOUT',
    'CHARGER_ERROR',
  )
  create(@CurrentActor() actor: Actor, @Body() dto: CreateReservationDto): Promise<ReservationResponse> {
    return this.reservations.createForUser(actor, dto);
  }

  @Get('reservations')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'Reservations, newest first: a user sees their own, an admin the tenant’s' })
  @ApiOkResponse({ type: ReservationPage })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: ReservationQueryDto): Promise<ReservationPage> {
    return this.reservations.list(actor, q);
  }

  @Post('reservations/:id/cancel')
  @HttpCode(200)
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'Cancel a reservation (its owner or an admin)' })
  @ApiOkResponse({ type: ReservationResponse })
  @ApiErrors(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'STATION_OFFLINE',
    'CHARGER_REJECTED',
    'CHARGER_TIMEOUT',
    'CHARGER_ERROR',
  )
  cancel(@CurrentActor() actor: Actor, @Param('id', id) reservationId: string): Promise<ReservationResponse> {
    return this.reservations.cancelById(actor, reservationId);
  }
}
