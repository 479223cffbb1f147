import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ApiErrors } from '../common/api-errors';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { badParam, uuidParam } from '../common/uuid-param';
import { CommandErrors } from './command-docs';
import { DisplayMessagesService } from './display-messages.service';
import {
  ClearDisplayMessageResponse,
  DisplayMessageListResponse,
  DisplayMessageResponse,
  RefreshDisplayMessagesResponse,
  SetDisplayMessageDto,
  SetDisplayMessageResponse,
} from './dto/display-messages.dto';

const id = uuidParam('id');
const messageId = new ParseIntPipe({
  exceptionFactory: () => badParam('messageId', 'messageId must be an integer'),
});
const STATION = { name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' };

@ApiTags('commands')
@Controller('api/v1/stations/:id/display-messages')
@Roles('admin', 'root')
export class DisplayMessagesController {
  constructor(private readonly messages: DisplayMessagesService) {}

  @Get()
  @ApiOperation({
    summary: "The display messages Kilowatt knows of an OCPP 2.0.1 station's screen",
    description:
      'The messages set with POST (each with the station’s answer as `status`) and the ones the station reported ' +
      '(`status` Reported) after POST …/display-messages/refresh, by message id.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: DisplayMessageListResponse })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid station id' },
    { NOT_FOUND: 'Unknown station, or another tenant’s' },
  )
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
  ): Promise<DisplayMessageListResponse> {
    return { items: (await this.messages.list(actor, stationId)).map(DisplayMessageResponse.of) };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Show a message on an OCPP 2.0.1 station's screen (SetDisplayMessage)",
    description:
      'Sends SetDisplayMessage and stores the message with the station’s answer (Accepted, NotSupportedMessageFormat, ' +
      'Rejected, NotSupportedPriority, NotSupportedState, UnknownTransaction). Without `id` the next free one is ' +
      'allocated (one past the highest given out or stored, never one a concurrent request got; 409 CONFLICT when ' +
      'the station holds the highest id there is); an `id` in use replaces that message when Accepted (a refused ' +
      'replacement leaves the stored one). Audited like every command. A 1.6 station answers 409 ' +
      'UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: SetDisplayMessageResponse })
  @CommandErrors()
  @ApiErrors({ CONFLICT: 'no id is left above the highest the station holds: give one' })
  async set(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() body: SetDisplayMessageDto,
  ): Promise<SetDisplayMessageResponse> {
    const { status, statusInfo, stored } = await this.messages.set(actor, stationId, body);
    return {
      status,
      ...(statusInfo !== undefined && { statusInfo }),
      displayMessage: stored ? DisplayMessageResponse.of(stored) : null,
    };
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask an OCPP 2.0.1 station for all its display messages (GetDisplayMessages)',
    description:
      'The station answers Accepted and reports its messages in NotifyDisplayMessages parts; each is stored as ' +
      'Reported, and once the last part arrives, stored messages it did not list (and that were not set since) are ' +
      'removed: the station is the truth. Unknown: it has none, and the stored set is emptied. Audited. A 1.6 ' +
      'station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiOkResponse({ type: RefreshDisplayMessagesResponse })
  @CommandErrors()
  async refresh(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
  ): Promise<RefreshDisplayMessagesResponse> {
    return this.messages.refresh(actor, stationId);
  }

  @Delete(':messageId')
  @ApiOperation({
    summary: "Remove a message from an OCPP 2.0.1 station's screen (ClearDisplayMessage)",
    description:
      'Sends ClearDisplayMessage for a stored message; Accepted (or Unknown: the station no longer has it) removes ' +
      'it from the stored set. 404 for a message id not stored. Audited. A 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiParam(STATION)
  @ApiParam({ name: 'messageId', description: 'The message id at the station', example: 1 })
  @ApiOkResponse({ type: ClearDisplayMessageResponse })
  @CommandErrors()
  @ApiErrors({ NOT_FOUND: 'Unknown station (or another tenant’s), or no such message stored' })
  async clear(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('messageId', messageId) message: number,
  ): Promise<ClearDisplayMessageResponse> {
    return this.messages.clear(actor, stationId, message);
  }
}
