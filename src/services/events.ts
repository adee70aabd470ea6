import type pg from 'pg'
import { listEvents } from '../db/events-repository.js'
import { decodeEventCursor, encodeCursor } from './cursor.js'
import type { EventListQueryShape, EventView } from '../schemas/event.js'

export interface EventPage { items: EventView[], nextCursor: string | null, hasMore: boolean }

/** A tenant's events in their one total order, for pollers. */
export class EventService {
  constructor (private readonly db: pg.Pool) {}

  async list (tenantId: string, query: EventListQueryShape): Promise<EventPage> {
    const limit = query.limit ?? 100
    const after = query.after === undefined ? undefined : decodeEventCursor(query.after, 'after')
    const rows = await listEvents(this.db, tenantId, after, query.type, limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]?.cursor ?? after
    return {
      items: page.map(({ cursor: _, ...event }) => event),
      // A poller keeps the cursor of the last event it saw: an empty page hands back the one it sent.
      nextCursor: last === undefined ? null : encodeCursor(['e', last.txId, last.seq]),
      hasMore: rows.length > limit
    }
  }
}
