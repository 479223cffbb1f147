import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation';
import { HardToGuess } from '../password-strength';

export class LoginDto {
  @ApiProperty({ example: 'alice', description: 'Username or email' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  username: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class SignupDto {
  @ApiProperty({ example: 'alice', description: '3-64 characters of a-z, 0-9, _ . -' })
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
}

export class SignupV1Dto extends SignupDto {
  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOmittable()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class RefreshDto {
  @ApiProperty({
    example: 'Zk9yQm1wV3h4c2J0N2dQb0tqT0hTZ1l1d1hWc2Z1eA',
    description: 'From signup, login or the previous refresh',
  })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

export class LogoutDto {
  @ApiPropertyOptional({
    example: 'Zk9yQm1wV3h4c2J0N2dQb0tqT0hTZ1l1d1hWc2Z1eA',
    description: 'Ends this login session',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;

  @ApiPropertyOptional({
    example: false,
    description: 'Ends every session of the account: all refresh tokens and all access tokens issued so far',
  })
  @IsOmittable()
  @IsBoolean()
  everywhere?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({
    example: 'another long passphrase',
    format: 'password',
    minLength: 8,
    description: 'Common, breached and guessable passwords (zxcvbn score below 3) are refused',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  @HardToGuess('currentPassword')
  newPassword: string;
}

export class ClientTokenDto {
  @ApiProperty({ example: 'c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f', description: 'The API key id' })
  @IsString()
  @MaxLength(64)
  keyId: string;

  @ApiProperty({
    example: '8Jx0b0cXy3o2QeVvGmHkz1qW6nYtR5uLsPdA9fE7iKc',
    description: 'The secret shown when the key was issued',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  secret: string;
}
