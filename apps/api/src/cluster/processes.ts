import { availableParallelism } from 'node:os';
import { AkdError } from '@akd/core';

/**
 * * Maximum number of API processes that `auto` starts. Each process keeps its own connection pools (up to 24
 * Postgres connections), so a large machine would otherwise use up Postgres's default limit of 100.
 */
const DEFAULT_MAX_API_PROCESSES = 4;

/** Largest AKD_API_PROCESSES accepted. */
export const MAX_API_PROCESSES = 64;

/**
 * Returns the number of API processes to run from AKD_API_PROCESSES: a whole number from 1 to
 * {@link MAX_API_PROCESSES}, or `auto` (the default) for one per core that Node.js reports
 * (`os.availableParallelism()`), at most 4. Throws INVALID_INPUT naming the value otherwise.
 */
export function apiProcessesFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cores = availableParallelism(),
): number {
  const text = env.AKD_API_PROCESSES?.trim();
  if (!text || text === 'auto') return Math.max(1, Math.min(cores, DEFAULT_MAX_API_PROCESSES));
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_API_PROCESSES) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid AKD_API_PROCESSES=${text}: use a whole number from 1 to ${MAX_API_PROCESSES}, or auto for one per core (at most ${DEFAULT_MAX_API_PROCESSES}).`,
      { name: 'AKD_API_PROCESSES', value: text },
    );
  }
  return value;
}
