import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A freshly generated key: the full key is shown once, only `id` and `secretHash` are kept. */
export interface ApiKeyMaterial {
  id: string;
  key: string;
  secretHash: Buffer;
}

// The public id is hex, so the first `_` after it unambiguously starts the secret (base64url may
// itself contain `_`). 32 random bytes of secret are 43 base64url characters.
const KEY_PATTERN = /^sk_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/** SHA-256 of a secret: enough for a 256-bit random secret (no slow hash needed). */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function newApiKeyMaterial(): ApiKeyMaterial {
  const id = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `sk_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The parts of a presented key, or undefined when it is not shaped like one of ours. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}
