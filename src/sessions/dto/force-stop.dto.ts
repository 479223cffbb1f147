import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class ForceStopSessionDto {
  @ApiProperty({
    example: 'Charger replaced; its StopTransaction will never come',
    description: 'Why the session is closed without the charger; kept in its record (1-500 characters)',
  })
  @IsString()
  @Length(1, 500)
  // The database stores no NUL, and a reason is read by people: no control characters but tab and newline.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, {
    message: 'reason must not contain control characters',
  })
  reason: string;
}
