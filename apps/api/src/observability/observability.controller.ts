import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { ParamTypes } from '../common/arg-types.js';
import { ObservabilityService, type HealthReport } from './observability.service.js';

@Controller()
@Access('public')
export class ObservabilityController {
  constructor(@Inject(ObservabilityService) private readonly observability: ObservabilityService) {}

  /** Replies 200 when the database responds and the queue depth is readable, and 503 otherwise. */
  @Get('health')
  @ParamTypes(Object)
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.observability.health();
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.observability.prometheusText();
  }
}
