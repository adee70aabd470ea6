import type pg from 'pg'
import { InvalidCursor } from '../domain/errors.js'
import { listEvents, type EventCursor } from '../db/events-repository.js'
import type { EventListQueryShape, EventView } from '../schemas/event.js'

export interface EventPage { items: EventView[], nextCursor: string | null, hasMore: boolean }

/** A tenant's events in their one total order, for pollers. */
export class EventService {
  constructor (private readonly db: pg.Pool) {}

  async list (tenantId: string, query: EventListQueryShape): Promise<EventPage> {
    const limit = query.limit ?? 100
    const after = query.after === undefined ? undefined : decodeCursor(query.after)
    const rows = await listEvents(this.db, tenantId, after, query.type, limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]?.cursor ?? after
    return {
      items: page.map(({ cursor: _, ...event }) => event),
      // A poller keeps the cursor of the last event it saw: an empty page hands back the one it sent.
      nextCursor: last === undefined ? null : encodeCursor(last),
      hasMore: rows.length > limit
    }
  }
}

function encodeCursor (c: EventCursor): string {
  return Buffer.from(JSON.stringify(['e', c.txId, c.seq])).toString('base64url')
}

function decodeCursor (cursor: string): EventCursor {
  try {
    const [kind, txId, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (kind === 'e' && typeof txId === 'string' && /^[0-9]{1,19}$/.test(txId) && BigInt(txId) < 2n ** 63n &&
      typeof seq === 'string' && /^[0-9]{1,18}$/.test(seq)) return { txId, seq }
  } catch {}
  throw new InvalidCursor('after')
}
