import type { Queryable } from './pool.js'

export interface StoredResponse { requestHash: Buffer, statusCode: number, body: string, location: string | null }

/** The answer stored under a key (committed by an earlier request). */
export async function storedResponse (db: Queryable, tenantId: string, key: string): Promise<StoredResponse | undefined> {
  const { rows } = await db.query<StoredResponse>(
    `SELECT request_hash AS "requestHash", status_code AS "statusCode", response_body AS body, location
     FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`, [tenantId, key])
  return rows[0]
}

/** Deletes keys past the retention, a batch at a time; returns how many went. */
export async function pruneIdempotencyKeys (db: Queryable, retentionHours: number, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (
       SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) LIMIT $2)`, [retentionHours, batch])
  return rowCount ?? 0
}
