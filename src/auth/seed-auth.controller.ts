import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { AuthService } from './auth.service';
import { LoginDto, SignupDto } from './dto/credentials.dto';
import { SeedTokenResponse } from './dto/token.response';
import { OptionalActor, Public } from '../common/roles.decorator';
import { ApiErrors } from '../common/api-errors';
import { SIGNUP_VIA_KEY } from './auth.controller';

/** The original app's routes, with exactly their shapes (no refresh token: use the v1 routes). */
@ApiTags('seed-compatible')
@Controller('api')
export class SeedAuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Sign up (seed-compatible shape)' })
  @ApiCreatedResponse({ type: SeedTokenResponse })
  @ApiErrors('VALIDATION_FAILED', 'USERNAME_TAKEN', SIGNUP_VIA_KEY)
  async signup(
    @Body() dto: SignupDto,
    @Ip() ip: string,
    @OptionalActor() via?: Actor,
  ): Promise<SeedTokenResponse> {
    const s = await this.auth.signup(dto, via, { ip, withRefresh: false });
    return { access_token: s.accessToken, idTag: s.idTag };
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in (seed-compatible shape)' })
  @ApiOkResponse({ type: SeedTokenResponse })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS', { RATE_LIMITED: 'with Retry-After' })
  async login(@Body() dto: LoginDto, @Ip() ip: string): Promise<SeedTokenResponse> {
    const s = await this.auth.login(dto.username, dto.password, { ip, withRefresh: false });
    return { access_token: s.accessToken, idTag: s.idTag };
  }
}
