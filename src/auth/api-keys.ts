import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// Format: rpk_<8-char lookup id>_<43-char secret>; 256 bits of randomness in the secret.
const KEY_PREFIX = 'rpk_'
export const LOOKUP_PREFIX_LENGTH = 12

export interface IssuedKey { apiKey: string, prefix: string, hash: Buffer }

export function issueApiKey (): IssuedKey {
  const lookup = randomBytes(6).toString('base64url')
  const secret = randomBytes(32).toString('base64url')
  return describeKey(`${KEY_PREFIX}${lookup}_${secret}`)
}

/** Prefix and hash of any key string (generated or operator-supplied bootstrap key). */
export function describeKey (apiKey: string): IssuedKey {
  return { apiKey, prefix: apiKey.slice(0, LOOKUP_PREFIX_LENGTH), hash: hashApiKey(apiKey) }
}

function hashApiKey (apiKey: string): Buffer {
  // Keys carry ≥128 bits of entropy, so a fast hash is enough (GitHub's token scheme does the same).
  return createHash('sha256').update(apiKey, 'utf8').digest()
}

export function sameHash (a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Printable ASCII, bounded: anything else cannot be one of our keys and is rejected before a lookup. */
export function looksLikeApiKey (value: string): boolean {
  return value.length >= 32 && value.length <= 200 && /^[\x21-\x7e]+$/.test(value)
}
