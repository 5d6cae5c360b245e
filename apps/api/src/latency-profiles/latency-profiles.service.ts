import { Inject, Injectable } from '@nestjs/common';
import { AkdError } from '@akd/core';
import { toEnumKey, type LatencyProfile } from '@akd/db';
import { CreateLatencyProfileInput } from './dto/create-latency-profile.input.js';
import { LatencyProfilesRepository } from './latency-profiles.repository.js';

/** Throws INVALID_INPUT naming `label` unless every value of `values` is a finite number >= 0. */
function checkNumbers(
  values: Record<string, unknown>,
  label: string,
  requireEntries: boolean,
): Record<string, number> {
  const entries = Object.entries(values);
  if (requireEntries && entries.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${label}: give at least one operation and its latency in milliseconds.`,
    );
  }
  for (const [key, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value) || (requireEntries && value < 0)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid ${label} entry "${key}": ${JSON.stringify(value)} is not a ${requireEntries ? 'latency in milliseconds (a finite number >= 0)' : 'finite number'}.`,
        { key },
      );
    }
  }
  return values as Record<string, number>;
}

/** Fields of a FLOPs fit, as the flops latency model reads them. */
const FLOPS_FIT_FIELDS = ['slopeMsPerFlop', 'interceptMs', 'r2'] as const;

/** Throws INVALID_INPUT unless `fit` is an object of finite numbers with every field of {@link FLOPS_FIT_FIELDS}. */
function checkFlopsFit(fit: Record<string, unknown>): Record<string, number> {
  const numbers = checkNumbers(fit, 'FLOPs fit', false);
  const missing = FLOPS_FIT_FIELDS.filter((field) => !(field in numbers));
  if (missing.length > 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid FLOPs fit: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        `Give ${FLOPS_FIT_FIELDS.join(', ')}, all finite numbers.`,
      { missing },
    );
  }
  return numbers;
}

@Injectable()
export class LatencyProfilesService {
  constructor(@Inject(LatencyProfilesRepository) private readonly profiles: LatencyProfilesRepository) {}

  list(): Promise<LatencyProfile[]> {
    return this.profiles.list();
  }

  /** Validates and records a latency profile. Throws CONFLICT when the name is taken. */
  async create(input: CreateLatencyProfileInput): Promise<LatencyProfile> {
    const table = checkNumbers(input.table, 'latency table', true);
    const flopsFit = input.flopsFit ? checkFlopsFit(input.flopsFit) : undefined;
    if (await this.profiles.findByName(input.name)) {
      throw new AkdError(
        'CONFLICT',
        `A latency profile named "${input.name}" already exists. Choose another name.`,
      );
    }
    return this.profiles.create({
      name: input.name,
      device: input.device,
      backend: input.backend,
      inputShape: input.inputShape,
      table,
      ...(flopsFit ? { flopsFit } : {}),
      measuredAt: input.measuredAt ?? new Date(),
      source: toEnumKey(input.source),
    });
  }
}
