import { Module } from '@nestjs/common';
import { WorkersRepository } from './workers.repository.js';
import { WorkersResolver } from './workers.resolver.js';

@Module({ providers: [WorkersRepository, WorkersResolver], exports: [WorkersRepository] })
export class WorkersModule {}
