import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersService } from './users.service';

@Module({ imports: [TenantsModule], providers: [UsersService], exports: [UsersService] })
export class UsersModule implements OnApplicationBootstrap {
  constructor(private readonly users: UsersService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.users.ensureRootAccount();
  }
}
