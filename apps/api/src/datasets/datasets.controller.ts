import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { ParamTypes } from '../common/arg-types.js';
import { DatasetUploadService } from './dataset-upload.service.js';
import { DatasetModel, toDatasetModel } from './models/dataset.model.js';

@Controller('api/datasets')
export class DatasetsController {
  constructor(@Inject(DatasetUploadService) private readonly uploads: DatasetUploadService) {}

  /**
   * Registers a dataset from a multipart/form-data upload. Its fields are `name`, optional
   * `format` (idx, cifar-10 or image-folder), optional `classNames` (IDX only; JSON array or
   * comma-separated) and optional `testFraction` (image-folder only; 0.2 by default). Its files
   * are the four MNIST-layout IDX files (as fields trainImages, trainLabels, testImages, testLabels
   * or under their standard names), a CIFAR-10 binary archive or its batch files, or one zip of
   * class folders of PNG and JPEG images (`<class>/<image>.png` or `.jpg`, or `train/<class>/…` with
   * `test/<class>/…`).
   * Replies 201 with the new dataset, or 200 with the registered one when the same contents exist.
   */
  @Post()
  @Access('editor')
  @ParamTypes(Object, Object)
  async upload(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ dataset: DatasetModel }> {
    const result = await this.uploads.upload(request);
    response.status(result.created ? 201 : 200);
    return { dataset: toDatasetModel(result.dataset) };
  }
}
