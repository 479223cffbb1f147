import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The charger's reply to a command that answers with a status. */
export class CommandStatusResponse {
  @ApiProperty({ example: 'Accepted', description: "The charger's status, in OCPP 1.6 words" })
  status: string;
}

export class ConfigurationKeyResponse {
  @ApiProperty({ example: 'HeartbeatInterval' }) key: string;
  @ApiProperty({ example: false }) readonly: boolean;
  @ApiPropertyOptional({ example: '300' }) value?: string;
}

export class GetConfigurationResponse {
  @ApiProperty({ type: [ConfigurationKeyResponse] }) configurationKey: ConfigurationKeyResponse[];
  @ApiProperty({ type: [String], example: ['NoSuchKey'] }) unknownKey: string[];
}

export class DataTransferResponse {
  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'Rejected', 'UnknownMessageId', 'UnknownVendorId'] })
  status: string;

  @ApiPropertyOptional({ example: '{"colour":"green"}' }) data?: string;
}
