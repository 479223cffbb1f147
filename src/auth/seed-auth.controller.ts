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
import { AuthService } from './auth.service';
import { LoginDto, SignupDto } from './dto/credentials.dto';
import { SeedTokenResponse } from './dto/token.response';
import { OptionalActor, Public } from './roles.decorator';

/** The original app's routes, with exactly their shapes. */
@ApiTags('seed-compatible')
@Controller('api')
export class SeedAuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Sign up (seed-compatible shape)' })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse })
  async signup(@Body() dto: SignupDto, @OptionalActor() via?: Actor): Promise<SeedTokenResponse> {
    const s = await this.auth.signup(dto, via);
    return { access_token: s.accessToken, idTag: s.idTag };
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in (seed-compatible shape)' })
  @ApiUnauthorizedResponse({ type: ErrorResponse })
  async login(@Body() dto: LoginDto): Promise<SeedTokenResponse> {
    const s = await this.auth.login(dto.username, dto.password);
    return { access_token: s.accessToken, idTag: s.idTag };
  }
}
