import type { EventType, EventView } from '../schemas/event.js'
import type { Queryable } from './pool.js'

/** An event to write: its plan part is read from the plan row by the database, after the change. */
export interface NewPlanEvent {
  tenantId: string
  planId: string
  type: EventType
  position?: unknown
  payment?: unknown
  installment?: unknown
}

/** Writes the events in the caller's transaction, in order (migrations/functions/record_plan_events.sql). */
export async function recordPlanEvents (db: Queryable, events: readonly NewPlanEvent[]): Promise<void> {
  if (events.length === 0) return
  const json = (v: unknown): string | null => v === undefined ? null : JSON.stringify(v)
  await db.query({
    name: 'record-plan-events',
    text: 'SELECT record_plan_events($1::uuid[], $2::uuid[], $3::text[], $4::json[], $5::json[], $6::json[])',
    values: [events.map((e) => e.tenantId), events.map((e) => e.planId), events.map((e) => e.type),
      events.map((e) => json(e.position)), events.map((e) => json(e.payment)), events.map((e) => json(e.installment))]
  })
}

/** A position in a tenant's event order: the writing transaction, then the event's number. */
export interface EventCursor { txId: string, seq: string }

// The first transaction id whose events may still be uncommitted: the oldest transaction running
// when the statement's snapshot was taken, skipping those seen running in another database of the
// cluster (they write no events here, and a long one would stall the feed). A transaction that
// ended between the snapshot and the look at pg_stat_activity still counts, so the line is never
// too high; the next poll moves past it.
const VISIBLE_BELOW = `(SELECT coalesce(
     (SELECT min(x) FROM pg_snapshot_xip(s.snap) AS x
      WHERE (x::text::bigint % 4294967296) NOT IN (
        SELECT backend_xid::text::bigint FROM pg_stat_activity WHERE datname <> current_database() AND backend_xid IS NOT NULL)),
     pg_snapshot_xmax(s.snap))
   FROM (SELECT pg_current_snapshot() AS snap) AS s)`

/**
 * A tenant's events after `after` in (tx_id, seq) order, written by transactions older than every
 * transaction still running on this database, so no event can later appear before the last one
 * returned.
 */
export async function listEvents (db: Queryable, tenantId: string, after: EventCursor | undefined, type: EventType | undefined, limit: number): Promise<Array<EventView & { cursor: EventCursor }>> {
  // One statement per shape of filter, so each is planned as a plain seek into its index.
  const values: unknown[] = [tenantId, limit]
  let where = ''
  if (after !== undefined) where += ` AND (tx_id, seq) > ($${values.push(after.txId)}::xid8, $${values.push(after.seq)}::bigint)`
  if (type !== undefined) where += ` AND type = $${values.push(type)}`
  const { rows } = await db.query<EventView & { txId: string, seq: string }>({
    name: `list-events${after === undefined ? '' : '-after'}${type === undefined ? '' : '-of-type'}`,
    text: `SELECT event_id AS id, type, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt", data,
       tx_id::text AS "txId", seq::text AS seq
     FROM events
     WHERE tenant_id = $1${where} AND tx_id < ${VISIBLE_BELOW}
     ORDER BY tx_id, seq
     LIMIT $2`,
    values
  })
  return rows.map(({ txId, seq, ...event }) => ({ ...event, cursor: { txId, seq } }))
}

/** Deletes events older than the retention, a batch at a time; returns how many went. */
export async function pruneEvents (db: Queryable, retentionDays: number, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM events WHERE ctid IN (
       SELECT ctid FROM events WHERE created_at < now() - make_interval(days => $1) LIMIT $2)`, [retentionDays, batch])
  return rowCount ?? 0
}
