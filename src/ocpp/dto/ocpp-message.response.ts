import { ApiProperty } from '@nestjs/swagger';
import type { OcppMessageRow } from '../ocpp.tables';

export class OcppMessageResponse {
  @ApiProperty({ example: '1042', description: 'Increasing per server; use the cursor to page' })
  id: string;

  @ApiProperty({ enum: ['in', 'out'], example: 'in', description: 'in: from the charger' })
  direction: 'in' | 'out';

  @ApiProperty({
    type: Number,
    example: 2,
    nullable: true,
    description: '2 CALL, 3 CALLRESULT, 4 CALLERROR; null if unparseable',
  })
  messageType: number | null;

  @ApiProperty({ type: String, example: '9f1c0b7e-3a71-4c6b-bb0a-2d8e1f4c5a90', nullable: true })
  messageId: string | null;

  @ApiProperty({ type: String, example: 'Heartbeat', nullable: true, description: 'Set on CALL frames' })
  action: string | null;

  @ApiProperty({
    oneOf: [
      { type: 'array', items: {} },
      { type: 'object', properties: { raw: { type: 'string' } }, required: ['raw'] },
    ],
    example: [2, '9f1c0b7e-3a71-4c6b-bb0a-2d8e1f4c5a90', 'Heartbeat', {}],
    description: 'The OCPP-J frame as sent; `{ "raw": "..." }` for a frame that was not JSON',
  })
  frame: unknown;

  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' })
  createdAt: string;

  static of(row: OcppMessageRow): OcppMessageResponse {
    return {
      id: String(row.id),
      direction: row.direction,
      messageType: row.messageType,
      messageId: row.messageId,
      action: row.action,
      frame: row.frame,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class OcppMessagePage {
  @ApiProperty({ type: [OcppMessageResponse] })
  items: OcppMessageResponse[];

  @ApiProperty({
    type: String,
    example: 'eyJrIjoiMjAyNi0xMS0yMlQxMDowMDowMFoiLCJpZCI6IjEwNDIifQ',
    nullable: true,
  })
  nextCursor: string | null;
}
