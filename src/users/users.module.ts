import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { CredentialRevocations } from './credential-revocations';
import { IdTagsController } from './id-tags.controller';
import { IdTagsRepository } from './id-tags.repository';
import { IdTagsService } from './id-tags.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TenantsModule],
  controllers: [UsersController, IdTagsController],
  providers: [UsersService, UsersRepository, IdTagsService, IdTagsRepository, CredentialRevocations],
  exports: [UsersService, IdTagsService, CredentialRevocations],
})
export class UsersModule implements OnApplicationBootstrap {
  constructor(private readonly users: UsersService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.users.ensureRootAccount();
  }
}
