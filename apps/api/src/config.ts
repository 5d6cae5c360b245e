import { resolve } from 'node:path';
import { AkdError, checkLogSettings } from '@akd/core';
import { artifactDir, dataDir } from '@akd/runner';

/** Settings of the API server, read once at start from the environment. */
export interface ApiConfig {
  /** Interface to listen on; 127.0.0.1 unless AKD_API_HOST sets another. */
  host: string;
  /** TCP port; 0 picks a free port. */
  port: number;
  /** When true (AKD_PUBLIC_READ=1), GraphQL queries and subscriptions need no token. */
  publicRead: boolean;
  /** Root of uploaded datasets, imported teachers and upload staging folders. */
  dataDir: string;
  /** Root that every downloaded artifact must lie in. */
  artifactDir: string;
  /** Largest accepted size of one uploaded file, in bytes. */
  uploadMaxBytes: number;
  /** Interval of the database poll that drives subscriptions, in milliseconds. */
  pollIntervalMs: number;
  /** Deepest field nesting a GraphQL operation may have. */
  maxQueryDepth: number;
  /** Largest estimated cost of a GraphQL operation; see `limits.ts` for the estimate. */
  maxQueryComplexity: number;
  /** A worker whose last heartbeat is older than this, in milliseconds, is reported as not alive. */
  workerTimeoutMs: number;
  /**
   * How long a verified API token is trusted without reading the database again, in milliseconds;
   * 0 reads it on every request. It bounds how long a token revoked outside this API process group
   * keeps working.
   */
  tokenCacheMs: number;
}

const MIB = 1024 * 1024;

/** Defaults of the settings that the environment may override. */
export const DEFAULT_CONFIG = {
  host: '127.0.0.1',
  port: 4000,
  // The binary CIFAR-10 archive is about 163 MiB, so 1 GiB leaves room for larger datasets.
  uploadMaxBytes: 1024 * MIB,
  pollIntervalMs: 1000,
  maxQueryDepth: 10,
  maxQueryComplexity: 10_000,
  workerTimeoutMs: 60_000,
  tokenCacheMs: 5000,
} as const;

function integerFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new AkdError('INVALID_INPUT', `Invalid ${name}=${text}: use a whole number of at least ${min}.`, {
      name,
      value: text,
    });
  }
  return value;
}

/**
 * Reads the API settings: AKD_API_HOST, AKD_API_PORT, AKD_PUBLIC_READ, AKD_DATA_DIR,
 * AKD_UPLOAD_MAX_BYTES, AKD_API_POLL_MS, AKD_API_MAX_DEPTH, AKD_API_MAX_COMPLEXITY,
 * AKD_WORKER_TIMEOUT_MS and AKD_API_TOKEN_CACHE_MS. Throws INVALID_INPUT naming the variable when a number is malformed.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  checkLogSettings(env);
  return {
    host: env.AKD_API_HOST?.trim() || DEFAULT_CONFIG.host,
    port: integerFromEnv(env, 'AKD_API_PORT', DEFAULT_CONFIG.port, 0),
    publicRead: env.AKD_PUBLIC_READ === '1',
    dataDir: resolve(dataDir()),
    artifactDir: resolve(artifactDir()),
    uploadMaxBytes: integerFromEnv(env, 'AKD_UPLOAD_MAX_BYTES', DEFAULT_CONFIG.uploadMaxBytes, 1),
    pollIntervalMs: integerFromEnv(env, 'AKD_API_POLL_MS', DEFAULT_CONFIG.pollIntervalMs, 10),
    maxQueryDepth: integerFromEnv(env, 'AKD_API_MAX_DEPTH', DEFAULT_CONFIG.maxQueryDepth, 1),
    maxQueryComplexity: integerFromEnv(env, 'AKD_API_MAX_COMPLEXITY', DEFAULT_CONFIG.maxQueryComplexity, 1),
    workerTimeoutMs: integerFromEnv(env, 'AKD_WORKER_TIMEOUT_MS', DEFAULT_CONFIG.workerTimeoutMs, 1000),
    tokenCacheMs: integerFromEnv(env, 'AKD_API_TOKEN_CACHE_MS', DEFAULT_CONFIG.tokenCacheMs, 0),
  };
}
