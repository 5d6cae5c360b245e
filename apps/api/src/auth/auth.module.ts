import { Module } from '@nestjs/common';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { ApiTokensResolver } from './api-tokens.resolver.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';

@Module({
  providers: [ApiTokensRepository, AuthService, AuthGuard, ApiTokensResolver],
  exports: [AuthService, AuthGuard],
})
export class AuthModule {}
