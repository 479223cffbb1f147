import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiOkContent, BINARY } from '../common/api-content.decorator';
import { RequestHeader } from '../common/request-header.decorator';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { uuidParam } from '../common/uuid-param';
import { ConnectorIdPipe } from './dto/params';
import { connectorQrPayload } from './qr-payload';
import { QrFormat, qrPng, qrSheetHtml, qrSvg } from './qr-render';
import { SitesService } from './sites.service';
import { StationsService } from './stations.service';
import { ApiErrors } from '../common/api-errors';

function formatOf(query: string | undefined, accept: string | undefined): QrFormat {
  if (query === 'png' || query === 'svg') return query;
  if (query !== undefined) {
    throw new DomainError('VALIDATION_FAILED', 'format must be png or svg', {
      fields: [{ field: 'format', errors: ['format must be png or svg'] }],
    });
  }
  return accept?.includes('image/svg+xml') && !accept.includes('image/png') ? 'svg' : 'png';
}

@ApiTags('stations')
@Controller('api/v1')
export class QrController {
  constructor(
    private readonly stations: StationsService,
    private readonly sites: SitesService,
  ) {}

  @Get('stations/:id/connectors/:connectorId/qr')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'QR code of a connector: ocpp://{chargePointId}?connector={n}',
    description:
      'PNG by default; SVG with `?format=svg` or `Accept: image/svg+xml`. The SVG names its payload in <title>.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['png', 'svg'] })
  @ApiOkContent('The QR code image', { 'image/png': BINARY, 'image/svg+xml': { type: 'string' } })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'Unknown station or connector' })
  async connectorQr(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) stationId: string,
    @Param('connectorId', ConnectorIdPipe) connectorId: number,
    @Query('format') format: string | undefined,
    @RequestHeader('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | string> {
    const kind = formatOf(format, accept);
    const { station } = await this.stations.findConnectorForActor(actor, stationId, connectorId);
    const payload = connectorQrPayload(station.chargePointId, connectorId);
    res.setHeader('Cache-Control', 'private, max-age=300');
    if (kind === 'svg') {
      res.type('image/svg+xml');
      return qrSvg(payload);
    }
    return new StreamableFile(await qrPng(payload), { type: 'image/png' });
  }

  @Get('sites/:id/qr-sheet')
  @Roles('admin', 'root')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({
    summary: "Printable HTML sheet with a labelled QR code for every connector of a site's stations",
  })
  @ApiOkContent('An HTML page for printing', { 'text/html': { type: 'string' } })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async siteSheet(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) siteId: string,
  ): Promise<string> {
    const site = await this.sites.get(actor, siteId);
    const views = await this.stations.listBySite(actor, site.id);
    const entries = views.flatMap(({ station, connectors }) =>
      connectors.map((c) => ({
        payload: connectorQrPayload(station.chargePointId, c.connectorId),
        chargePointId: station.chargePointId,
        stationName: station.name,
        connectorId: c.connectorId,
        type: c.type,
        maxPowerW: c.maxPowerW,
      })),
    );
    return qrSheetHtml(site.name, entries);
  }
}
