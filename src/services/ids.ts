import { randomFillSync } from 'node:crypto'

/**
 * A UUID version 7 (RFC 9562): the instant's Unix milliseconds in the first 48 bits, then random
 * bits. Ids made later sort later, so a table keyed by them grows at the right edge of its index
 * instead of touching a random page of it per insert.
 */
export function timeOrderedUuid (at: Date): string {
  const b = randomFillSync(Buffer.alloc(16))
  b.writeUIntBE(Math.max(0, at.getTime()), 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
