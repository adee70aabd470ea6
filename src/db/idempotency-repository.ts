import type { Queryable } from './pool.js'

/** Deletes keys past the retention, a batch at a time; returns how many went. */
export async function pruneIdempotencyKeys (db: Queryable, retentionHours: number, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (
       SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) LIMIT $2)`, [retentionHours, batch])
  return rowCount ?? 0
}
