import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiOkContent, BINARY } from '../common/api-content.decorator';
import { CurrentActor, Public, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { PageQueryDto } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { CommandErrors } from './command-docs';
import { DiagnosticsService, UPLOAD_ROUTE } from './diagnostics.service';
import {
  DiagnosticsFilePage,
  GetDiagnosticsDto,
  GetDiagnosticsResponse,
  UploadReceipt,
} from './dto/diagnostics.dto';
import { StationFirmwareResponse, UpdateFirmwareDto, UpdateFirmwareResponse } from './dto/firmware.dto';
import { FirmwareService } from './firmware.service';
import { ApiErrors } from '../common/api-errors';

const id = uuidParam('id');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** UpdateFirmware and GetDiagnostics for one station, the firmware progress and the diagnostics files. */
@ApiTags('commands')
@Controller()
export class MaintenanceController {
  constructor(
    private readonly firmware: FirmwareService,
    private readonly diagnostics: DiagnosticsService,
  ) {}

  @Post('api/v1/stations/:id/commands/update-firmware')
  @HttpCode(200)
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'UpdateFirmware',
    description:
      'Progress from FirmwareStatusNotification shows in GET /stations/{id}/firmware. An OCPP 2.0.1 station gets ' +
      'UpdateFirmware with `firmware {location, retrieveDateTime}` and, for a signed firmware, `signingCertificate` ' +
      'and `signature` (given together; the certificate must parse as X.509) and `installDateTime` (`installDate`); a 1.6 station given any of those ' +
      'answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiOkResponse({ type: UpdateFirmwareResponse })
  @CommandErrors()
  updateFirmware(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: UpdateFirmwareDto,
  ) {
    return this.firmware.updateFirmware(actor, stationId, dto);
  }

  @Get('api/v1/stations/:id/firmware')
  @Roles('admin', 'root')
  @ApiOperation({ summary: "The station's firmware: version, last reported status, recent updates" })
  @ApiOkResponse({ type: StationFirmwareResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  stationFirmware(@CurrentActor() actor: Actor, @Param('id', id) stationId: string) {
    return this.firmware.stationFirmware(actor, stationId);
  }

  @Post('api/v1/stations/:id/commands/get-diagnostics')
  @HttpCode(200)
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'GetDiagnostics',
    description:
      'Without `location` the charger gets a one-time upload URL of this server; the file then appears in ' +
      'GET /stations/{id}/diagnostics. An OCPP 2.0.1 station gets GetLog of `logType` DiagnosticsLog (default) or ' +
      'SecurityLog; SecurityLog to a 1.6 station answers 409 UNSUPPORTED_BY_PROTOCOL.',
  })
  @ApiOkResponse({ type: GetDiagnosticsResponse })
  @CommandErrors()
  getDiagnostics(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Body() dto: GetDiagnosticsDto,
  ) {
    return this.diagnostics.getDiagnostics(actor, stationId, dto);
  }

  @Get('api/v1/stations/:id/diagnostics')
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Diagnostics requested from the station, newest first, with their files' })
  @ApiOkResponse({ type: DiagnosticsFilePage })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  listDiagnostics(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Query() q: PageQueryDto,
  ) {
    return this.diagnostics.list(actor, stationId, q);
  }

  @Get('api/v1/stations/:id/diagnostics/:fileId')
  @Roles('admin', 'root')
  @ApiOperation({ summary: 'Download a diagnostics file the station uploaded' })
  @ApiOkContent('The file as uploaded', { 'application/octet-stream': BINARY })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', id) stationId: string,
    @Param('fileId', uuidParam('fileId')) fileId: string,
  ): Promise<StreamableFile> {
    const file = await this.diagnostics.download(actor, stationId, fileId);
    return new StreamableFile(file.stream, {
      type: file.contentType,
      length: file.sizeBytes,
      disposition: `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    });
  }

  @Put(`${UPLOAD_ROUTE}/:token/:fileName`)
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary: "A charger's diagnostics upload (the location offered in GetDiagnostics)",
    description:
      'Valid once, until the URL expires. Send the raw file (application/octet-stream or text/plain), ' +
      'not JSON. POST is accepted as well.',
  })
  @ApiConsumes('application/octet-stream', 'text/plain')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: UploadReceipt })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'Unknown, used or expired upload URL' }, 'PAYLOAD_TOO_LARGE', {
    UNSUPPORTED_MEDIA_TYPE: 'a JSON body: upload the file raw',
  })
  upload(@Param('token') token: string, @Param('fileName') fileName: string, @Req() req: Request) {
    return this.receive(token, fileName, req);
  }

  @Post(`${UPLOAD_ROUTE}/:token/:fileName`)
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'The same upload by POST' })
  @ApiConsumes('application/octet-stream', 'text/plain')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: UploadReceipt })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', {
    UNSUPPORTED_MEDIA_TYPE: 'a JSON body: upload the file raw',
  })
  uploadByPost(@Param('token') token: string, @Param('fileName') fileName: string, @Req() req: Request) {
    return this.receive(token, fileName, req);
  }

  private receive(token: string, fileName: string, req: Request): Promise<UploadReceipt> {
    if (!TOKEN.test(token)) throw new DomainError('NOT_FOUND', 'Unknown or expired upload URL');
    // The JSON parser has already consumed a JSON body; a diagnostics file is never JSON-parsed.
    if (req.body !== undefined || req.readableEnded) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Upload the file raw, not as JSON');
    }
    return this.diagnostics.receiveUpload(token, fileName, req.headers['content-type'], req);
  }
}
