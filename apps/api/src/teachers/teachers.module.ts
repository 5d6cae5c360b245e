import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { TeacherFilesService } from './teacher-files.service.js';
import { TeachersController } from './teachers.controller.js';
import { TeachersRepository } from './teachers.repository.js';
import { TeachersResolver } from './teachers.resolver.js';
import { TeachersService } from './teachers.service.js';

@Module({
  imports: [DatasetsModule],
  controllers: [TeachersController],
  providers: [TeachersRepository, TeachersService, TeachersResolver, TeacherFilesService],
  exports: [TeachersService, TeachersRepository],
})
export class TeachersModule {}
