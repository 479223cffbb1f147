import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import { Actor, tenantScopeOf } from '../common/actor';
import { notFound } from '../common/domain-error';
import { PageQueryDto } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import { ChargerStateService } from '../stations/charger-state.service';
import { readScope } from '../stations/tenant-scope';
import { ChargerNotificationsRepository } from './charger-notifications.repository';
import {
  ChargerNotificationPage,
  ChargerNotificationQueryDto,
  ChargerNotificationResponse,
} from './dto/charger-notification.dto';
import { OcppMessagePage, OcppMessageResponse } from './dto/ocpp-message.response';
import { SecurityEventPage, SecurityEventQueryDto, SecurityEventResponse } from './dto/security-event.dto';
import { MessageLogService } from './gateway/message-log.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('stations')
@Controller('api/v1/stations/:id')
export class OcppLogController {
  constructor(
    private readonly chargerState: ChargerStateService,
    private readonly messageLog: MessageLogService,
    private readonly notifications: ChargerNotificationsRepository,
  ) {}

  @Get('ocpp-log')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: "A station's recent OCPP messages, newest first",
    description:
      'Every frame to and from the charger, kept for OCPP_MESSAGE_LOG_RETENTION_DAYS. Written in batches, so the newest frames appear after a few seconds.',
  })
  @ApiParam({ name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' })
  @ApiOkResponse({ type: OcppMessagePage })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid limit or cursor' },
    { NOT_FOUND: 'No such station in your tenant' },
  )
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Station')) id: string,
    @Query() query: PageQueryDto,
  ): Promise<OcppMessagePage> {
    await this.requireVisible(actor, id);
    const page = await this.messageLog.listByStation(id, { limit: query.limit ?? 50, cursor: query.cursor });
    return { items: page.items.map(OcppMessageResponse.of), nextCursor: page.nextCursor };
  }

  @Get('notifications')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'What an OCPP 2.0.1 station reported besides charging, newest first',
    description:
      'NotifyReport, NotifyEvent, SecurityEventNotification, NotifyEVChargingNeeds and the other 2.0.1 reports, ' +
      'each as the station sent it, committed before the station was answered; kept for OCPP_MESSAGE_LOG_RETENTION_DAYS.',
  })
  @ApiParam({ name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' })
  @ApiOkResponse({ type: ChargerNotificationPage })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid action, limit or cursor' },
    { NOT_FOUND: 'No such station in your tenant' },
  )
  async notificationsOf(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Station')) id: string,
    @Query() query: ChargerNotificationQueryDto,
  ): Promise<ChargerNotificationPage> {
    await this.requireVisible(actor, id);
    const page = await this.notifications.listByStation(readScope(actor), id, {
      action: query.action,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    return { items: page.items.map(ChargerNotificationResponse.of), nextCursor: page.nextCursor };
  }

  @Get('security-events')
  @Roles('admin', 'root')
  @ApiOperation({
    summary: "A station's security events, newest received first",
    description:
      'The SecurityEventNotifications of an OCPP 2.0.1 station (firmware updated, settings changed, failed logins, ' +
      'tamper detection, …), committed before the station was answered and kept for OCPP_MESSAGE_LOG_RETENTION_DAYS. ' +
      "`timestamp` is the station's clock as reported; the order and `from`/`to` use the time Kilowatt received each. " +
      'Each new one is also published as the `station.security_event` event (webhooks, `/events`).',
  })
  @ApiParam({ name: 'id', description: 'Station id', example: '3b2f7c1e-8a0d-4f57-9b1a-6c5d4e3f2a10' })
  @ApiOkResponse({ type: SecurityEventPage })
  @ApiErrors(
    { VALIDATION_FAILED: 'Invalid type, from, to, limit or cursor' },
    { NOT_FOUND: 'No such station in your tenant' },
  )
  async securityEventsOf(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('Station')) id: string,
    @Query() query: SecurityEventQueryDto,
  ): Promise<SecurityEventPage> {
    await this.requireVisible(actor, id);
    const page = await this.notifications.listSecurityEvents(readScope(actor), id, {
      type: query.type,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    return { items: page.items.map(SecurityEventResponse.of), nextCursor: page.nextCursor };
  }

  /** 404 for a station outside the actor's tenant. */
  private async requireVisible(actor: Actor, id: string): Promise<void> {
    const scope = tenantScopeOf(actor);
    const visible = scope
      ? await this.chargerState.existsInTenant(scope, id)
      : await this.chargerState.exists(id);
    if (!visible) throw notFound('Station', id);
  }
}
