import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ErrorResponse } from '../common/error.response';
import { AuthService, IssuedSession } from './auth.service';
import { LoginDto, SignupV1Dto } from './dto/credentials.dto';
import { AuthTokensResponse } from './dto/token.response';
import { OptionalActor, Public } from './roles.decorator';

const toResponse = (s: IssuedSession): AuthTokensResponse => ({
  accessToken: s.accessToken,
  tokenType: 'Bearer',
  expiresIn: s.expiresIn,
  idTag: s.idTag,
  userId: s.user.id,
  role: s.user.role,
});

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @ApiOperation({
    summary: 'Create a user account',
    description:
      "Sent with a tenant's API key, the account is created in that tenant; otherwise in the default tenant.",
  })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'USERNAME_TAKEN' })
  async signup(@Body() dto: SignupV1Dto, @OptionalActor() via?: Actor): Promise<AuthTokensResponse> {
    return toResponse(await this.auth.signup(dto, via));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with username (or email) and password' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'INVALID_CREDENTIALS' })
  async login(@Body() dto: LoginDto): Promise<AuthTokensResponse> {
    return toResponse(await this.auth.login(dto.username, dto.password));
  }
}
