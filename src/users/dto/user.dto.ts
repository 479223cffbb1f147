import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { HardToGuess } from '../../auth/password-strength';
import { PageQueryDto } from '../../common/pagination';
import { ROLES, Role } from '../../common/actor';
import { UserRow } from '../users.tables';
import { IsOmittable } from '../../common/validation';

const USER_STATUSES = ['active', 'disabled'] as const;

export class CreateUserDto {
  @ApiProperty({ example: 'bob', description: '3-64 characters of a-z, 0-9, _ . -' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username must be 3-64 characters of a-z, 0-9, _ . -' })
  username: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    format: 'password',
    minLength: 8,
    description: 'Common, breached and guessable passwords (zxcvbn score below 3) are refused',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  @HardToGuess('username', 'email')
  password: string;

  @ApiPropertyOptional({ example: 'bob@example.com' })
  @IsOmittable()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    enum: ROLES,
    default: 'user',
    example: 'admin',
    description: 'An admin may create `user` and `admin`; only root creates `root` accounts.',
  })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c',
    description:
      "Root only: the tenant to create the account in (default: root's own). Admins create in their own tenant.",
  })
  @IsOmittable()
  @IsUUID()
  tenantId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({
    type: String,
    example: 'bob@example.org',
    nullable: true,
    description: 'Self or admin',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({
    enum: ROLES,
    example: 'admin',
    description: 'Admin: user ↔ admin; root: any. Never your own.',
  })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    enum: USER_STATUSES,
    example: 'disabled',
    description: 'Admin only; a disabled account can no longer log in and its tokens stop working.',
  })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: 'active' | 'disabled';
}

export class ListUsersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES, example: 'admin' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: USER_STATUSES, example: 'active' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({
    example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c',
    description: 'Root only: one tenant',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class UserResponse {
  @ApiProperty({ example: '0b8f5a4e-2f0c-4c69-8a7e-1c2d3e4f5a6b' }) id: string;
  @ApiProperty({ example: '3f1c2b7a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' }) tenantId: string;
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ example: 'alice@example.com', nullable: true, type: String }) email: string | null;
  @ApiProperty({ enum: ROLES, example: 'user' }) role: Role;
  @ApiProperty({ enum: USER_STATUSES, example: 'active' }) status: 'active' | 'disabled';
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: Date;

  static of(u: UserRow): UserResponse {
    return {
      id: u.id,
      tenantId: u.tenantId,
      username: u.username,
      email: u.email,
      role: u.role,
      status: u.status,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
    };
  }
}

export class UserWithIdTagResponse extends UserResponse {
  @ApiProperty({ example: 'KW7G2M9XQ4R8T1V3B6CD', description: "The account's app idTag" }) idTag: string;
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] }) items: UserResponse[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
