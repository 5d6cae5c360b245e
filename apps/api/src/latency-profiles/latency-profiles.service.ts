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

@Injectable()
export class LatencyProfilesService {
  constructor(@Inject(LatencyProfilesRepository) private readonly profiles: LatencyProfilesRepository) {}

  list(): Promise<LatencyProfile[]> {
    return this.profiles.list();
  }

  /** Validates and records a latency profile. Throws CONFLICT when the name is taken. */
  async create(input: CreateLatencyProfileInput): Promise<LatencyProfile> {
    const table = checkNumbers(input.table, 'latency table', true);
    const flopsFit = input.flopsFit ? checkNumbers(input.flopsFit, 'FLOPs fit', false) : undefined;
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
