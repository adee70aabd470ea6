import { InvalidCursor } from '../domain/errors.js'

// Keyset cursors are opaque to callers: base64url of a JSON array of the last row's keys.

export function encodeCursor (keys: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url')
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const SEQ = /^[0-9]{1,18}$/

/** The keys of a cursor this API issued, if `accept` takes them; otherwise the client's mistake, a 400. */
function decode<T> (cursor: string, accept: (keys: unknown[]) => T | undefined, parameter?: string): T {
  try {
    const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    const taken = Array.isArray(keys) ? accept(keys) : undefined
    if (taken !== undefined) return taken
  } catch {}
  throw new InvalidCursor(parameter)
}

/** A (created_at, id) cursor: newest-first listings. */
export function decodeCreatedCursor (cursor: string): { createdAt: string, id: string } {
  return decode(cursor, ([createdAt, id]) =>
    // The round trip through Date rejects impossible instants (Feb 30, hour 25) that match the pattern.
    // Year 0000 parses in JavaScript but not in PostgreSQL: refused here, as any forged cursor.
    typeof createdAt === 'string' && TIMESTAMP.test(createdAt) && !createdAt.startsWith('0000') && typeof id === 'string' && UUID.test(id) &&
      new Date(createdAt).toISOString().slice(0, 23) === createdAt.slice(0, 23)
      ? { createdAt, id }
      : undefined)
}

/** A (kind, seq) cursor: a listing in a sequence's order; `kind` keeps one listing's cursor out of another. */
export function decodeSeqCursor (cursor: string, kind: string): string {
  return decode(cursor, ([k, seq]) => k === kind && typeof seq === 'string' && SEQ.test(seq) ? seq : undefined)
}

/** The events feed's (transaction id, seq) cursor. */
export function decodeEventCursor (cursor: string, parameter: string): { txId: string, seq: string } {
  return decode(cursor, ([k, txId, seq]) =>
    k === 'e' && typeof txId === 'string' && /^[0-9]{1,19}$/.test(txId) && BigInt(txId) < 2n ** 63n && typeof seq === 'string' && SEQ.test(seq)
      ? { txId, seq }
      : undefined, parameter)
}
