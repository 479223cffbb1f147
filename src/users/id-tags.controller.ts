import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { UuidParam } from '../common/uuid-param';
import {
  CreateIdTagDto,
  IdTagPageResponse,
  IdTagResponse,
  ListIdTagsQuery,
  UpdateIdTagDto,
} from './dto/id-tag.dto';
import { IdTagsService } from './id-tags.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('id-tags')
@Controller('api/v1')
export class IdTagsController {
  constructor(private readonly tags: IdTagsService) {}

  @Get('id-tags')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'idTags: a user’s own, an admin’s tenant’s (optionally of one `userId`)' })
  @ApiOkResponse({ type: IdTagPageResponse })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: ListIdTagsQuery): Promise<IdTagPageResponse> {
    return this.tags.list(actor, q);
  }

  @Post('id-tags')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'Add an RFID idTag',
    description:
      'A user adds to its own account; an admin to any account of its tenant, or to none (a vehicle/fleet tag).',
  })
  @ApiCreatedResponse({ type: IdTagResponse })
  @ApiErrors('VALIDATION_FAILED', { NOT_FOUND: 'userId or parentIdTag not found' }, 'ID_TAG_TAKEN')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateIdTagDto): Promise<IdTagResponse> {
    return IdTagResponse.of(await this.tags.create(actor, dto));
  }

  @Get('users/:userId/id-tags')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: "One account's idTags (self, or an admin of its tenant)" })
  @ApiOkResponse({ type: IdTagPageResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  listOfUser(
    @CurrentActor() actor: Actor,
    @Param('userId', UuidParam('User')) userId: string,
    @Query() q: ListIdTagsQuery,
  ): Promise<IdTagPageResponse> {
    return this.tags.listOfUser(actor, userId, q);
  }

  @Post('users/:userId/id-tags')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'Add an RFID idTag to one account' })
  @ApiCreatedResponse({ type: IdTagResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', 'ID_TAG_TAKEN')
  async createForUser(
    @CurrentActor() actor: Actor,
    @Param('userId', UuidParam('User')) userId: string,
    @Body() dto: CreateIdTagDto,
  ): Promise<IdTagResponse> {
    return IdTagResponse.of(await this.tags.create(actor, { ...dto, userId }));
  }

  @Get('id-tags/:id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'One idTag' })
  @ApiOkResponse({ type: IdTagResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('idTag')) id: string,
  ): Promise<IdTagResponse> {
    return IdTagResponse.of(await this.tags.get(actor, id));
  }

  @Patch('id-tags/:id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'Block, unblock, expire, group or label an idTag',
    description:
      'A user may block its own tag and label its vehicle; status `active`, expiresAt and parentIdTag are for admins.',
  })
  @ApiOkResponse({ type: IdTagResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('idTag')) id: string,
    @Body() dto: UpdateIdTagDto,
  ): Promise<IdTagResponse> {
    return IdTagResponse.of(await this.tags.update(actor, id, dto));
  }

  @Delete('id-tags/:id')
  @Roles('user', 'admin', 'root')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an RFID idTag (an app idTag can only be blocked)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { CONFLICT: 'The app idTag, or a tag used by sessions' })
  async remove(@CurrentActor() actor: Actor, @Param('id', UuidParam('idTag')) id: string): Promise<void> {
    await this.tags.remove(actor, id);
  }
}
