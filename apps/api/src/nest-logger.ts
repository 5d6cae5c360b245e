import type { LoggerService } from '@nestjs/common';
import { Logger } from '@akd/core';

/** Sends Nest's own log lines (module setup, route mapping, errors) through the project's logger. */
export class NestLogger implements LoggerService {
  private readonly logger = new Logger('api.nest');

  log(message: unknown, context?: string): void {
    // Nest logs every module and route at startup at this level; keep them out of the info log.
    this.logger.debug(String(message), { context });
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error(String(message), { context, trace });
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn(String(message), { context });
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug(String(message), { context });
  }

  verbose(message: unknown, context?: string): void {
    this.logger.debug(String(message), { context });
  }
}
