import type { EventType, EventView } from '../schemas/event.js'
import type { WebhookDeliveryView, WebhookEndpointView } from '../schemas/webhook.js'
import type { Queryable } from './pool.js'

const ts = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

const endpointColumns = `endpoint_id AS id, url, description, event_types AS "eventTypes", status, disabled_reason AS "disabledReason",
  CASE WHEN previous_secret_expires_at > now() THEN ${ts('previous_secret_expires_at')} END AS "previousSecretExpiresAt",
  ${ts('created_at')} AS "createdAt"`

export interface NewEndpoint { url: string, description: string, eventTypes: readonly EventType[], sealedSecret: Buffer }

export async function insertEndpoint (db: Queryable, tenantId: string, e: NewEndpoint): Promise<WebhookEndpointView> {
  const { rows } = await db.query<WebhookEndpointView>(
    `INSERT INTO webhook_endpoints (tenant_id, url, description, event_types, secret) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${endpointColumns}`, [tenantId, e.url, e.description, e.eventTypes, e.sealedSecret])
  return rows[0]!
}

export async function findEndpoint (db: Queryable, tenantId: string, endpointId: string): Promise<WebhookEndpointView | undefined> {
  const { rows } = await db.query<WebhookEndpointView>(
    `SELECT ${endpointColumns} FROM webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2 AND deleted_at IS NULL`, [tenantId, endpointId])
  return rows[0]
}

export interface EndpointCursor { createdAt: string, endpointId: string }

export async function listEndpoints (db: Queryable, tenantId: string, after: EndpointCursor | undefined, limit: number): Promise<WebhookEndpointView[]> {
  const { rows } = await db.query<WebhookEndpointView>(
    `SELECT ${endpointColumns} FROM webhook_endpoints
     WHERE tenant_id = $1 AND deleted_at IS NULL
       AND ($2::timestamptz IS NULL OR (created_at, endpoint_id) < ($2::timestamptz, $3::uuid))
     ORDER BY created_at DESC, endpoint_id DESC
     LIMIT $4`, [tenantId, after?.createdAt ?? null, after?.endpointId ?? null, limit])
  return rows
}

/** Soft-deletes the endpoint and gives up its pending deliveries; false when there was none. */
export async function deleteEndpoint (db: Queryable, tenantId: string, endpointId: string): Promise<boolean> {
  const { rows } = await db.query<{ deleted: boolean }>(
    `WITH e AS (
       UPDATE webhook_endpoints SET deleted_at = now() WHERE tenant_id = $1 AND endpoint_id = $2 AND deleted_at IS NULL RETURNING endpoint_id
     ), d AS (
       UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted', next_attempt_at = now()
       WHERE tenant_id = $1 AND endpoint_id IN (SELECT endpoint_id FROM e) AND status = 'pending'
     )
     SELECT EXISTS (SELECT 1 FROM e) AS deleted`, [tenantId, endpointId])
  return rows[0]!.deleted
}

/** The new secret signs from now on; the current one keeps signing beside it for `overlapHours`. */
export async function rotateSecret (db: Queryable, tenantId: string, endpointId: string, sealedSecret: Buffer, overlapHours: number): Promise<WebhookEndpointView | undefined> {
  const { rows } = await db.query<WebhookEndpointView>(
    `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = now() + make_interval(hours => $4), secret = $3
     WHERE tenant_id = $1 AND endpoint_id = $2 AND deleted_at IS NULL
     RETURNING ${endpointColumns}`, [tenantId, endpointId, sealedSecret, overlapHours])
  return rows[0]
}

export async function countEndpoints (db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM webhook_endpoints WHERE deleted_at IS NULL')
  return rows[0]!.n
}

const deliveryColumns = `d.delivery_id AS id, d.endpoint_id AS "endpointId", e.event_id AS "eventId", e.type AS "eventType", d.plan_id AS "planId",
  d.status, d.attempts, CASE WHEN d.status = 'pending' THEN ${ts('d.next_attempt_at')} END AS "nextAttemptAt",
  ${ts('d.last_attempt_at')} AS "lastAttemptAt", d.last_response_status AS "lastResponseStatus", d.last_error AS "lastError",
  ${ts('d.delivered_at')} AS "deliveredAt", ${ts('e.created_at')} AS "createdAt", d.event_seq::text AS seq`

/** An endpoint's deliveries, newest event first, after the event number `beforeSeq`. */
export async function listDeliveries (db: Queryable, tenantId: string, endpointId: string, beforeSeq: string | undefined, limit: number): Promise<Array<WebhookDeliveryView & { seq: string }>> {
  const { rows } = await db.query<WebhookDeliveryView & { seq: string }>(
    `SELECT ${deliveryColumns}
     FROM webhook_deliveries AS d JOIN events AS e ON e.tenant_id = d.tenant_id AND e.seq = d.event_seq
     WHERE d.tenant_id = $1 AND d.endpoint_id = $2 AND ($3::bigint IS NULL OR d.event_seq < $3::bigint)
     ORDER BY d.event_seq DESC
     LIMIT $4`, [tenantId, endpointId, beforeSeq ?? null, limit])
  return rows
}

/**
 * Makes the delivery due now (pending again if it had failed, with a fresh retry window); an
 * endpoint disabled by a 410 is enabled again, since the tenant says the receiver is back.
 */
export async function retryDelivery (db: Queryable, tenantId: string, endpointId: string, deliveryId: string): Promise<(WebhookDeliveryView & { seq: string }) | undefined> {
  const { rows } = await db.query<WebhookDeliveryView & { seq: string }>(
    `WITH w AS (
       SELECT endpoint_id FROM webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2 AND deleted_at IS NULL FOR UPDATE
     ), enabled AS (
       UPDATE webhook_endpoints SET status = 'enabled', disabled_reason = NULL
       WHERE tenant_id = $1 AND endpoint_id IN (SELECT endpoint_id FROM w) AND status = 'disabled'
         AND EXISTS (SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND delivery_id = $3)
     ), d AS (
       UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(),
         first_attempt_at = CASE WHEN status = 'pending' THEN first_attempt_at END
       WHERE tenant_id = $1 AND endpoint_id IN (SELECT endpoint_id FROM w) AND delivery_id = $3
       RETURNING *
     )
     SELECT ${deliveryColumns} FROM d JOIN events AS e ON e.tenant_id = d.tenant_id AND e.seq = d.event_seq`, [tenantId, endpointId, deliveryId])
  return rows[0]
}

// ---- The delivery worker ----

export interface ClaimedDelivery {
  tenantId: string
  deliveryId: string
  endpointId: string
  planId: string
  /** This attempt's number (1 for the first). */
  attempt: number
  /** Milliseconds since the first attempt (0 for the first). */
  sinceFirstMs: number
  url: string
  secret: Buffer
  previousSecret: Buffer | null
  event: EventView
  /** When the event was committed, epoch ms (for the lag metric). */
  eventCreatedMs: number
}

export interface ClaimOptions {
  limit: number
  perEndpoint: number
  /** Attempts this process has in flight, per endpoint id. */
  busy: ReadonlyMap<string, number>
  leaseMs: number
}

/**
 * Claims up to `limit` due deliveries in one short statement: each gets the next attempt number
 * and a lease. SKIP LOCKED keeps two replicas off the same row; a delivery waits while an earlier
 * event of the same plan is still pending for the same endpoint (per-plan order), and no endpoint
 * gets more than `perEndpoint` attempts in flight here.
 */
export async function claimDeliveries (db: Queryable, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (o.limit <= 0) return []
  const { rows } = await db.query<{
    tenant_id: string, delivery_id: string, endpoint_id: string, plan_id: string, attempts: number, since_first_ms: string, url: string,
    secret: Buffer, previous_secret: Buffer | null, event_id: string, type: EventView['type'], created_at: string, created_ms: string, data: EventView['data']
  }>({
    name: 'claim-webhook-deliveries',
    text: `WITH busy AS (
       SELECT * FROM unnest($3::uuid[], $4::integer[]) AS b (endpoint_id, n)
     ), endpoints AS (
       -- Endpoints with a free slot here, in random order: when more have work than there are free
       -- slots, none is always last. A saturated endpoint (a receiver that is down or slow) is not
       -- looked at, so its backlog costs the others nothing.
       SELECT w.tenant_id, w.endpoint_id, $2 - coalesce(b.n, 0) AS room
       FROM webhook_endpoints AS w LEFT JOIN busy AS b ON b.endpoint_id = w.endpoint_id
       WHERE w.status = 'enabled' AND w.deleted_at IS NULL AND coalesce(b.n, 0) < $2
       ORDER BY random()
     ), claimable AS (
       -- Per endpoint, its first due deliveries by an index seek, at most its free slots; rows
       -- another replica holds are skipped, and the due time and lease are read on the locked row.
       SELECT d.tenant_id, d.delivery_id
       FROM endpoints AS e
       CROSS JOIN LATERAL (
         SELECT d.tenant_id, d.delivery_id FROM webhook_deliveries AS d
         WHERE d.tenant_id = e.tenant_id AND d.endpoint_id = e.endpoint_id AND d.status = 'pending'
           AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until <= now())
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries AS p
             WHERE p.tenant_id = d.tenant_id AND p.plan_id = d.plan_id AND p.endpoint_id = d.endpoint_id
               AND p.status = 'pending' AND p.event_seq < d.event_seq)
         ORDER BY d.next_attempt_at
         LIMIT e.room
         FOR UPDATE SKIP LOCKED) AS d
       LIMIT $1
     ), claimed AS (
       UPDATE webhook_deliveries AS d
       SET attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $5::double precision / 1000),
         first_attempt_at = coalesce(d.first_attempt_at, now())
       FROM claimable AS c WHERE d.tenant_id = c.tenant_id AND d.delivery_id = c.delivery_id
       RETURNING d.*
     )
     SELECT c.tenant_id, c.delivery_id, c.endpoint_id, c.plan_id, c.attempts,
       (extract(epoch FROM now() - c.first_attempt_at) * 1000)::bigint::text AS since_first_ms,
       w.url, w.secret, CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret,
       e.event_id, e.type, ${ts('e.created_at')} AS created_at, (extract(epoch FROM e.created_at) * 1000)::bigint::text AS created_ms, e.data
     FROM claimed AS c
     JOIN webhook_endpoints AS w ON w.tenant_id = c.tenant_id AND w.endpoint_id = c.endpoint_id
     JOIN events AS e ON e.tenant_id = c.tenant_id AND e.seq = c.event_seq`,
    values: [o.limit, o.perEndpoint, [...o.busy.keys()], [...o.busy.values()], o.leaseMs]
  })
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    deliveryId: r.delivery_id,
    endpointId: r.endpoint_id,
    planId: r.plan_id,
    attempt: r.attempts,
    sinceFirstMs: Number(r.since_first_ms),
    url: r.url,
    secret: r.secret,
    previousSecret: r.previous_secret,
    event: { id: r.event_id, type: r.type, createdAt: r.created_at, data: r.data },
    eventCreatedMs: Number(r.created_ms)
  }))
}

export interface AttemptOutcome {
  /** delivered: 2xx; retry: due again after `retryInMs`; failed: given up; gone: 410, the endpoint is disabled. */
  result: 'delivered' | 'retry' | 'failed' | 'gone'
  retryInMs?: number
  responseStatus: number | null
  error: string | null
  durationMs: number
}

/** Records the attempt and its outcome, and hands the plan's next event over: one call, one transaction (record_webhook_attempt.sql). */
export async function recordAttempt (db: Queryable, d: Pick<ClaimedDelivery, 'tenantId' | 'deliveryId' | 'endpointId' | 'planId' | 'attempt'>, o: AttemptOutcome): Promise<void> {
  await db.query({
    name: 'record-webhook-attempt',
    text: 'SELECT record_webhook_attempt($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
    values: [d.tenantId, d.deliveryId, d.attempt, o.result, o.responseStatus, o.error, o.retryInMs ?? 0, o.durationMs, d.endpointId, d.planId]
  })
}
