import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { ParamTypes } from '../common/arg-types.js';
import { sendZip } from '../files/zip.js';
import { TrainedModelsService } from './trained-models.service.js';

@Controller('api/models')
export class TrainedModelsController {
  constructor(@Inject(TrainedModelsService) private readonly models: TrainedModelsService) {}

  /** Zip of model.json, weight shards, genome.json and metadata.json. Needs any valid token. */
  @Get(':id/download')
  @Access('token')
  @ParamTypes(String, Object)
  async download(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const entries = await this.models.downloadEntries(id);
    await sendZip(response, `model-${id}.zip`, entries);
  }
}
