import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../../common/validation';
import { PageQueryDto } from '../../common/pagination';
import type { ChargerNotificationRow } from '../ocpp.tables';

/** The OCPP 2.0.1 station messages kept in the notifications list. */
export const STORED_NOTIFICATIONS = [
  'NotifyReport',
  'NotifyEvent',
  'SecurityEventNotification',
  'NotifyChargingLimit',
  'ClearedChargingLimit',
  'ReportChargingProfiles',
  'NotifyEVChargingNeeds',
  'NotifyEVChargingSchedule',
  'NotifyCustomerInformation',
  'NotifyMonitoringReport',
  'NotifyDisplayMessages',
  'PublishFirmwareStatusNotification',
  'ReservationStatusUpdate',
  'SignCertificate',
  'Get15118EVCertificate',
  'GetCertificateStatus',
] as const;

export class ChargerNotificationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STORED_NOTIFICATIONS, example: 'SecurityEventNotification' })
  @IsOmittable()
  @IsIn(STORED_NOTIFICATIONS)
  action?: (typeof STORED_NOTIFICATIONS)[number];
}

export class ChargerNotificationResponse {
  @ApiProperty({ example: '311', description: 'Increasing per server; use the cursor to page' })
  id: string;

  @ApiProperty({ enum: STORED_NOTIFICATIONS, example: 'SecurityEventNotification' })
  action: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { type: 'FirmwareUpdated', timestamp: '2026-12-03T10:00:00Z' },
    description: 'The request as the station sent it (OCPP 2.0.1 field names)',
  })
  payload: unknown;

  @ApiProperty({ example: '2026-12-03T10:00:01.000Z' })
  receivedAt: string;

  static of(row: ChargerNotificationRow): ChargerNotificationResponse {
    return {
      id: String(row.id),
      action: row.action,
      payload: row.payload,
      receivedAt: row.receivedAt.toISOString(),
    };
  }
}

export class ChargerNotificationPage {
  @ApiProperty({ type: [ChargerNotificationResponse] })
  items: ChargerNotificationResponse[];

  @ApiProperty({
    type: String,
    example: 'eyJrIjoiMjAyNi0xMi0wM1QxMDowMDowMVoiLCJpZCI6IjMxMSJ9',
    nullable: true,
  })
  nextCursor: string | null;
}
