import { createHash, randomBytes } from 'node:crypto';

/** Prefix of generated tokens, so that a leaked token is easy to recognise in a scan. */
export const TOKEN_PREFIX = 'akd_';

/** Creates a token: the prefix and 32 random bytes in base64url. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Returns the SHA-256 (hex) of a token, the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
