import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountOnly, CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { UuidParam } from '../common/uuid-param';
import { IssuedKeySecretsResponse, KeySecurityResponse, UpdateKeySecurityDto } from './dto/key-security.dto';
import { KeySecurityService } from './key-security.service';
import { ApiErrors } from '../common/api-errors';

/** An API key's integrity, secrecy and quota settings; managed by people, like the keys themselves. */
@ApiTags('api-keys')
@Controller('api/v1/api-keys/:id/security')
@Roles('admin', 'root')
@AccountOnly()
export class KeySecurityController {
  constructor(private readonly security: KeySecurityService) {}

  @Get()
  @ApiOperation({ summary: "An API key's security settings: required signature, encryption, rate limit" })
  @ApiOkResponse({ type: KeySecurityResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('API key')) id: string,
  ): Promise<KeySecurityResponse> {
    return this.security.settings(actor, id);
  }

  @Patch()
  @ApiOperation({
    summary: 'Require signed requests and/or encrypted bodies for a key, or set its rate limit',
    description:
      'Applies to the next request on every node. Requiring a signature or encryption needs the key’s signing and encryption keys issued first (POST …/security/keys), else 409.',
  })
  @ApiOkResponse({ type: KeySecurityResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { CONFLICT: 'no signing and encryption keys issued yet' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('API key')) id: string,
    @Body() dto: UpdateKeySecurityDto,
  ): Promise<KeySecurityResponse> {
    return this.security.update(actor, id, dto);
  }

  @Post('keys')
  @ApiOperation({
    summary: 'Issue (or rotate) the key’s signing key and encryption key; both are shown once',
    description:
      'Two independent random 32-byte keys, base64: `signingKey` for X-Signature (HMAC-SHA256) and `encryptionKey` for the AES-256-GCM envelope. Earlier ones stop working at once.',
  })
  @ApiCreatedResponse({ type: IssuedKeySecretsResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { CONFLICT: 'the API key is revoked' })
  issueKeys(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('API key')) id: string,
  ): Promise<IssuedKeySecretsResponse> {
    return this.security.issueKeys(actor, id);
  }
}
