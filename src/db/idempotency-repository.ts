import type { Queryable } from './pool.js'

export interface StoredResponse { requestHash: Buffer, statusCode: number, body: string, location: string | null }

/**
 * Claims the key inside the caller's transaction. A concurrent holder of the same key makes this
 * wait (bounded by lock_timeout) until it commits or rolls back. Returns null when the key is now
 * ours, else the stored response of the committed earlier request. Keys older than the retention
 * are taken over as new.
 */
export async function claimIdempotencyKey (db: Queryable, tenantId: string, key: string, requestHash: Buffer, retentionHours: number): Promise<StoredResponse | null> {
  const claimed = await db.query(
    `INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status_code = NULL, response_body = NULL, location = NULL, created_at = now()
       WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
     RETURNING 1`, [tenantId, key, requestHash, retentionHours])
  if (claimed.rowCount === 1) return null
  const { rows } = await db.query<StoredResponse>(
    `SELECT request_hash AS "requestHash", status_code AS "statusCode", response_body AS body, location
     FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`, [tenantId, key])
  return rows[0]!
}

export async function saveIdempotentResponse (db: Queryable, tenantId: string, key: string, statusCode: number, body: string, location: string | null): Promise<void> {
  await db.query(
    'UPDATE idempotency_keys SET status_code = $3, response_body = $4, location = $5 WHERE tenant_id = $1 AND key = $2',
    [tenantId, key, statusCode, body, location])
}

/** Deletes keys past the retention, a batch at a time; returns how many went. */
export async function pruneIdempotencyKeys (db: Queryable, retentionHours: number, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (
       SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) LIMIT $2)`, [retentionHours, batch])
  return rowCount ?? 0
}
