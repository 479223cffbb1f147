import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

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

  @ApiProperty({ example: 'correct horse battery staple', format: 'password', minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password: string;
}

export class SignupV1Dto extends SignupDto {
  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}
