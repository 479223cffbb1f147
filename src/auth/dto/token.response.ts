import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_SCOPES } from '../auth.tables';
import { UserWithIdTagResponse } from '../../users/dto/user.dto';

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
  @ApiProperty({
    example: 'Zk9yQm1wV3h4c2J0N2dQb0tqT0hTZ1l1d1hWc2Z1eA',
    description: 'Single use: POST /api/v1/auth/refresh returns a new access token and a new refresh token',
  })
  refreshToken: string;
  @ApiProperty({ example: 2592000, description: 'Seconds until the refresh token expires' })
  refreshExpiresIn: number;
  @ApiProperty({ example: 'KW7G2M9XQ4R8T1V3B6CD' }) idTag: string;
  @ApiProperty({ example: '0b8f5a4e-2f0c-4c69-8a7e-1c2d3e4f5a6b' }) userId: string;
  @ApiProperty({ example: 'user', enum: ['user', 'admin', 'root'] }) role: string;
}

export class ClientTokenResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 300 }) expiresIn: number;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['read', 'charge'] }) scopes: string[];
}

export class MeResponse extends UserWithIdTagResponse {}
