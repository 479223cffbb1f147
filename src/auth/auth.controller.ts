import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { UserResponse } from '../users/dto/user.dto';
import { AuthService, IssuedSession } from './auth.service';
import {
  ChangePasswordDto,
  ClientTokenDto,
  LoginDto,
  LogoutDto,
  RefreshDto,
  SignupV1Dto,
} from './dto/credentials.dto';
import { AuthTokensResponse, ClientTokenResponse, MeResponse } from './dto/token.response';
import { AccountOnly, CurrentActor, OptionalActor, Public, Roles } from '../common/roles.decorator';
import { ApiErrors } from '../common/api-errors';

const toResponse = (s: IssuedSession): AuthTokensResponse => ({
  accessToken: s.accessToken,
  tokenType: 'Bearer',
  expiresIn: s.expiresIn,
  refreshToken: s.refresh?.token ?? '',
  refreshExpiresIn: s.refresh?.expiresIn ?? 0,
  idTag: s.idTag,
  userId: s.user.id,
  role: s.user.role,
});

/** Signing up through an API key needs its admin scope. */
export const SIGNUP_VIA_KEY = { FORBIDDEN: 'sent with an API key that lacks the admin scope' };

const tooMany = ApiErrors({ RATE_LIMITED: 'per address or per account, with Retry-After' });

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @ApiOperation({
    summary: 'Create a user account',
    description:
      "Sent with a tenant's API key (`X-API-Key` or its client token), the account is created in that tenant; otherwise in the default tenant. The role is always `user`.",
  })
  @ApiCreatedResponse({ type: AuthTokensResponse })
  @ApiErrors(
    'VALIDATION_FAILED',
    { UNAUTHENTICATED: 'Credentials were sent and are invalid' },
    'USERNAME_TAKEN',
    SIGNUP_VIA_KEY,
  )
  async signup(
    @Body() dto: SignupV1Dto,
    @Ip() ip: string,
    @OptionalActor() via?: Actor,
  ): Promise<AuthTokensResponse> {
    return toResponse(await this.auth.signup(dto, via, { ip, withRefresh: true }));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with username (or email) and password' })
  @ApiOkResponse({ type: AuthTokensResponse })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS')
  @tooMany
  async login(@Body() dto: LoginDto, @Ip() ip: string): Promise<AuthTokensResponse> {
    return toResponse(await this.auth.login(dto.username, dto.password, { ip, withRefresh: true }));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for new tokens',
    description:
      'The refresh token is single-use. Presenting a spent one again revokes every token of that login.',
  })
  @ApiOkResponse({ type: AuthTokensResponse })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHENTICATED')
  @tooMany
  async refresh(@Body() dto: RefreshDto, @Ip() ip: string): Promise<AuthTokensResponse> {
    return toResponse(await this.auth.refresh(dto.refreshToken, ip));
  }

  @Post('logout')
  @Roles('user', 'admin', 'root')
  @AccountOnly()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Log out',
    description:
      'Revokes the given refresh token’s session; with `everywhere`, every session and access token.',
  })
  @ApiNoContentResponse({ description: 'Logged out' })
  @ApiErrors('VALIDATION_FAILED')
  async logout(@CurrentActor() actor: Actor, @Body() dto: LogoutDto): Promise<void> {
    await this.auth.logout(actor, dto);
  }

  @Post('password')
  @Roles('user', 'admin', 'root')
  @AccountOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change the password',
    description:
      'Every other session ends (refresh tokens revoked, older access tokens refused); new tokens are returned.',
  })
  @ApiOkResponse({ type: AuthTokensResponse })
  @ApiErrors({ VALIDATION_FAILED: 'also for a wrong currentPassword' })
  @tooMany
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
    @Ip() ip: string,
  ): Promise<AuthTokensResponse> {
    return toResponse(await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword, ip));
  }

  @Get('me')
  @Roles('user', 'admin', 'root')
  @AccountOnly()
  @ApiOperation({ summary: 'The logged-in account, with its idTag' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    const { user, idTag } = await this.auth.me(actor);
    return { ...UserResponse.of(user), idTag };
  }

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Client credentials: exchange an API key id and secret for a short-lived bearer token',
    description:
      'The token acts exactly as the key (same tenant and scopes) and stops working when the key is revoked.',
  })
  @ApiOkResponse({ type: ClientTokenResponse })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS')
  @tooMany
  token(@Body() dto: ClientTokenDto, @Ip() ip: string): Promise<ClientTokenResponse> {
    return this.auth.clientToken(dto.keyId, dto.secret, ip);
  }
}
