import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AkdError } from '@akd/core';

/** Shortest token the API accepts as AKD_ADMIN_TOKEN, in characters. */
const MIN_TOKEN_LENGTH = 32;

/** The editor token the demo gives the API, and where it came from. */
export interface DemoToken {
  token: string;
  /** `AKD_ADMIN_TOKEN`, or the path of the token file. */
  source: string;
}

/**
 * Returns AKD_ADMIN_TOKEN, or undefined when it is unset or blank. Throws INVALID_INPUT when it is
 * shorter than the API accepts, so a command can check it before it changes anything.
 */
export function adminTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.AKD_ADMIN_TOKEN?.trim();
  if (!fromEnv) return undefined;
  if (fromEnv.length < MIN_TOKEN_LENGTH) {
    throw new AkdError(
      'INVALID_INPUT',
      `AKD_ADMIN_TOKEN is ${fromEnv.length} characters long: use at least ${MIN_TOKEN_LENGTH} random characters, or unset it.`,
    );
  }
  return fromEnv;
}

/**
 * Returns AKD_ADMIN_TOKEN when it is set. Otherwise reads `<dataDir>/demo-token`, creating it
 * (mode 0600) with a new random token on the first run, so that every run of the demo uses the
 * same token. The API records the token as an editor token when it does not know it yet.
 */
export function demoToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): DemoToken {
  const fromEnv = adminTokenFromEnv(env);
  if (fromEnv !== undefined) return { token: fromEnv, source: 'AKD_ADMIN_TOKEN' };

  const path = join(dataDir, 'demo-token');
  mkdirSync(dataDir, { recursive: true });
  try {
    // The same format as the tokens the API creates: "akd_" and 32 random bytes in base64url.
    writeFileSync(path, `akd_${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new AkdError(
      'INVALID_INPUT',
      `The token file ${path} holds ${token.length} characters, fewer than ${MIN_TOKEN_LENGTH}: delete it so that the demo writes a new token.`,
    );
  }
  return { token, source: path };
}
