import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { ParamTypes } from '../common/arg-types.js';
import { sendZip } from '../files/zip.js';
import { TeacherModel, toTeacherModel } from './models/teacher.model.js';
import { TeacherFilesService } from './teacher-files.service.js';

@Controller('api/teachers')
export class TeachersController {
  constructor(@Inject(TeacherFilesService) private readonly files: TeacherFilesService) {}

  /**
   * Imports a teacher from uploaded logits (multipart/form-data: fields datasetId, name and
   * optional family; file fields train and optional test, each a 2-D float .npy). Replies 201.
   */
  @Post('import')
  @Access('editor')
  @ParamTypes(Object, Object)
  async import(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ teacher: TeacherModel }> {
    const row = await this.files.importLogits(request);
    response.status(201);
    return { teacher: toTeacherModel(row) };
  }

  /** Zip of the teacher's model files or logits and metadata.json. Needs any valid token. */
  @Get(':id/download')
  @Access('token')
  @ParamTypes(String, Object)
  async download(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const entries = await this.files.downloadEntries(id);
    await sendZip(response, `teacher-${id}.zip`, entries);
  }
}
