import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/roles.decorator';
import type { Actor } from '../common/actor';
import { UuidParam } from '../common/uuid-param';
import {
  CreateUserDto,
  ListUsersQuery,
  UpdateUserDto,
  UserPageResponse,
  UserResponse,
  UserWithIdTagResponse,
} from './dto/user.dto';
import { UsersService } from './users.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin', 'root')
  @ApiOperation({
    summary: 'Register an account',
    description:
      'An admin registers `user` or `admin` accounts in its own tenant. Root may pick `tenantId` and create root accounts.',
  })
  @ApiCreatedResponse({ type: UserWithIdTagResponse })
  @ApiErrors(
    'VALIDATION_FAILED',
    { NOT_FOUND: 'tenantId is not a tenant the caller can see' },
    'USERNAME_TAKEN',
  )
  async register(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserWithIdTagResponse> {
    const { user, idTag } = await this.users.register(actor, dto);
    return { ...UserResponse.of(user), idTag };
  }

  @Get()
  @Roles('admin', 'root')
  @ApiOperation({ summary: "List the tenant's accounts (root: every tenant, or `tenantId`)" })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentActor() actor: Actor, @Query() q: ListUsersQuery): Promise<UserPageResponse> {
    return this.users.list(actor, q);
  }

  @Get(':id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({ summary: 'One account: a user reads itself, an admin its tenant’s accounts' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  async get(@CurrentActor() actor: Actor, @Param('id', UuidParam('User')) id: string): Promise<UserResponse> {
    return UserResponse.of(await this.users.get(actor, id));
  }

  @Patch(':id')
  @Roles('user', 'admin', 'root')
  @ApiOperation({
    summary: 'Update an account',
    description:
      'A user may change its own email. An admin also changes role (user ↔ admin) and status of its tenant’s accounts, never its own; only root grants root.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND', { USERNAME_TAKEN: '(email in use)' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam('User')) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponse> {
    return UserResponse.of(await this.users.update(actor, id, dto));
  }
}
