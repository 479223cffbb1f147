import { ApiProperty } from '@nestjs/swagger';

/** Seed-compatible answer of `POST /api/signup` and `POST /api/login`. */
export class SeedTokenResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) access_token: string;
  @ApiProperty({ example: 'KW7G2M9XQ4R8T1V3B6CD', description: "The account's idTag for charging" })
  idTag: string;
}

export class AuthTokensResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ example: 'KW7G2M9XQ4R8T1V3B6CD' }) idTag: string;
  @ApiProperty({ example: '0b8f5a4e-2f0c-4c69-8a7e-1c2d3e4f5a6b' }) userId: string;
  @ApiProperty({ example: 'user', enum: ['user', 'admin', 'root'] }) role: string;
}
