import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { uuidParam } from '../common/uuid-param';
import { ApiErrors } from '../common/api-errors';
import { CommandErrors } from './command-docs';
import {
  ChargingCommandResponse,
  ClearChargingProfileDto,
  CompositeScheduleResponse,
  GetCompositeScheduleDto,
  SetChargingProfileDto,
} from './dto/charging-profile.dto';
import { LocalListVersionResponse, SendLocalListDto, SendLocalListResponse } from './dto/local-list.dto';
import { LocalListService } from './local-list.service';
import { validationPipe } from '../common/validation';
import { SetChargingProfile201Dto } from './dto/charging-profile-201.dto';
import { isNativeSetChargingProfile } from './ocpp201-smart-charging';
import { SmartChargingService } from './smart-charging.service';

const id = uuidParam('id');

/** Local authorization list and smart charging commands. */
@ApiTags('commands')
@Controller('api/v1/stations/:id/commands')
@Roles('admin', 'root')
export class ChargerListsController {
  constructor(
    private readonly localList: LocalListService,
    private readonly smartCharging: SmartChargingService,
  ) {}

  @Post('send-local-list')
  @HttpCode(200)
  @ApiOperation({
    summary: "SendLocalList built from the tenant's idTags",
    description:
      'Full sends every idTag (Accepted, Blocked or Expired); Differential only the changes since the list the ' +
      'charger last accepted (409 CONFLICT before a first Full). Same body and answer for both protocols: an ' +
      'OCPP 2.0.1 station gets `{versionNumber, updateType, localAuthorizationList: [{idToken: {idToken, type}, ' +
      'idTokenInfo: {status, cacheExpiryDateTime?, groupIdToken?}}]}`, where type is `Central` for an app idTag ' +
      'and `ISO14443` for an RFID card, and answers Accepted, Failed or VersionMismatch.',
  })
  @ApiOkResponse({ type: SendLocalListResponse })
  @CommandErrors()
  @ApiErrors({ CONFLICT: 'a Differential update before any Full one was accepted' })
  sendLocalList(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: SendLocalListDto,
  ) {
    return this.localList.sendLocalList(actor, stationId, dto);
  }

  @Post('get-local-list-version')
  @HttpCode(200)
  @ApiOperation({
    summary: 'GetLocalListVersion',
    description: "An OCPP 2.0.1 station's versionNumber is answered as listVersion (0: no list).",
  })
  @ApiOkResponse({ type: LocalListVersionResponse })
  @CommandErrors()
  getLocalListVersion(@CurrentActor() actor: Actor, @Param('id', id) stationId: string) {
    return this.localList.getLocalListVersion(actor, stationId);
  }

  @Post('set-charging-profile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'SetChargingProfile, validated before sending (OCPP 1.6 and 2.0.1)',
    description:
      "One body, OCPP 1.6's, for both protocols. Periods ascend from startPeriod 0 (1 to 1024 of them), limits " +
      'are not negative, a TxProfile goes to a connector above 0, a ChargePointMaxProfile to connectorId 0; ' +
      "otherwise 400 VALIDATION_FAILED naming the fields. On an OCPP 2.0.1 station a TxProfile must name the session's " +
      "`transactionId` as the API shows it (the charger's string id), and the body is sent translated: connector " +
      '_n_ → `evseId` _n_, ChargePointMaxProfile → ChargingStationMaxProfile, chargingProfileId → `id`, the ' +
      'chargingSchedule → a one-element `chargingSchedule` list whose `id` is the profile id. The answer is the ' +
      "station's status, with a 2.0.1 station's statusInfo when it gives one. A 2.0.1 station also takes the request " +
      'in its own shape, `{evseId, chargingProfile}` (for what 1.6 cannot say: up to three schedules, phaseToUse, a ' +
      'salesTariff), checked by the same rules on every schedule; ChargingStationExternalConstraints is refused, and a ' +
      '1.6 station answers that shape 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiExtraModels(SetChargingProfileDto, SetChargingProfile201Dto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(SetChargingProfileDto) },
        { $ref: getSchemaPath(SetChargingProfile201Dto) },
      ],
    },
    examples: {
      txDefault: {
        summary: 'A default limit of 16 A on connector (EVSE) 1 — either protocol',
        value: {
          connectorId: 1,
          csChargingProfiles: {
            chargingProfileId: 101,
            stackLevel: 0,
            chargingProfilePurpose: 'TxDefaultProfile',
            chargingProfileKind: 'Absolute',
            chargingSchedule: {
              startSchedule: '2026-11-22T18:00:00Z',
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
            },
          },
        },
      },
      txProfile16: {
        summary: 'A running session on an OCPP 1.6 station: its integer transactionId',
        value: {
          connectorId: 1,
          csChargingProfiles: {
            chargingProfileId: 102,
            transactionId: 42,
            stackLevel: 1,
            chargingProfilePurpose: 'TxProfile',
            chargingProfileKind: 'Relative',
            chargingSchedule: {
              chargingRateUnit: 'W',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }],
            },
          },
        },
      },
      txProfile201: {
        summary: "A running session on an OCPP 2.0.1 station: the charger's string transactionId",
        value: {
          connectorId: 1,
          csChargingProfiles: {
            chargingProfileId: 103,
            transactionId: '6a0f4c1e-1b7d-4f5e-9a52-0c8e3f2d7b19',
            stackLevel: 1,
            chargingProfilePurpose: 'TxProfile',
            chargingProfileKind: 'Relative',
            chargingSchedule: {
              chargingRateUnit: 'W',
              chargingSchedulePeriod: [
                { startPeriod: 0, limit: 11000 },
                { startPeriod: 1800, limit: 7400 },
              ],
            },
          },
        },
      },
      native201: {
        summary: 'OCPP 2.0.1 only: the 2.0.1 shape, e.g. for two schedules (kW and A) of one profile',
        value: {
          evseId: 1,
          chargingProfile: {
            id: 104,
            stackLevel: 0,
            chargingProfilePurpose: 'TxDefaultProfile',
            chargingProfileKind: 'Absolute',
            chargingSchedule: [
              {
                id: 1,
                startSchedule: '2026-11-22T18:00:00Z',
                chargingRateUnit: 'W',
                chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 3 }],
              },
              {
                id: 2,
                startSchedule: '2026-11-22T18:00:00Z',
                chargingRateUnit: 'A',
                chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 1 }],
              },
            ],
          },
        },
      },
      stationMax: {
        summary: 'A limit for the whole station (ChargingStationMaxProfile on 2.0.1)',
        value: {
          connectorId: 0,
          csChargingProfiles: {
            chargingProfileId: 1,
            stackLevel: 0,
            chargingProfilePurpose: 'ChargePointMaxProfile',
            chargingProfileKind: 'Recurring',
            recurrencyKind: 'Daily',
            chargingSchedule: {
              startSchedule: '2026-11-22T00:00:00Z',
              duration: 86400,
              chargingRateUnit: 'W',
              chargingSchedulePeriod: [
                { startPeriod: 0, limit: 22000 },
                { startPeriod: 64800, limit: 11000 },
              ],
            },
          },
        },
      },
    },
  })
  @ApiOkResponse({ type: ChargingCommandResponse })
  @CommandErrors()
  async setChargingProfile(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<ChargingCommandResponse> {
    // Two shapes on one route: each is validated as its own DTO (400 naming the fields).
    const as = <T extends object>(metatype: new () => T) =>
      validationPipe.transform(body, { type: 'body', metatype }) as Promise<T>;
    return isNativeSetChargingProfile(body)
      ? this.smartCharging.setChargingProfile201(actor, stationId, await as(SetChargingProfile201Dto))
      : this.smartCharging.setChargingProfile(actor, stationId, await as(SetChargingProfileDto));
  }

  @Post('clear-charging-profile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ClearChargingProfile by id or by connector, purpose and stack level',
    description:
      'On an OCPP 2.0.1 station: `{chargingProfileId: id}` when id is given, else `{chargingProfileCriteria: ' +
      '{evseId: connectorId, chargingProfilePurpose, stackLevel}}` (ChargePointMaxProfile → ' +
      'ChargingStationMaxProfile; no filter at all clears every profile); it answers ' +
      'Accepted or Unknown, with statusInfo when it gives one.',
  })
  @ApiOkResponse({ type: ChargingCommandResponse })
  @CommandErrors()
  clearChargingProfile(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: ClearChargingProfileDto,
  ) {
    return this.smartCharging.clearChargingProfile(actor, stationId, dto);
  }

  @Post('get-composite-schedule')
  @HttpCode(200)
  @ApiOperation({
    summary: 'GetCompositeSchedule of a connector or of the station (connectorId 0)',
    description:
      "The same answer for both protocols, 1.6's. An OCPP 2.0.1 station is asked `{evseId: connectorId, duration, " +
      'chargingRateUnit}`; its `schedule` comes back as connectorId = schedule.evseId, scheduleStart, and ' +
      'chargingSchedule {duration, chargingRateUnit, chargingSchedulePeriod}, plus statusInfo when it gives one.',
  })
  @ApiOkResponse({ type: CompositeScheduleResponse })
  @CommandErrors()
  getCompositeSchedule(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: GetCompositeScheduleDto,
  ) {
    return this.smartCharging.getCompositeSchedule(actor, stationId, dto);
  }
}
