import type { Queryable } from './pool.js'
import { describeKey, issueApiKey, sameHash, type IssuedKey } from '../auth/api-keys.js'
import { CHANGE_CHANNEL } from './change-feed.js'

export interface Tenant { tenantId: string, name: string, createdAt: string }
export interface TenantWithKey { tenantId: string, name: string, apiKey: string, keyId: string }

const tenantColumns = 'tenant_id AS "tenantId", name, to_char(created_at AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\') AS "createdAt"'

export async function createTenant (db: Queryable, name: string): Promise<TenantWithKey> {
  const { rows } = await db.query<{ tenantId: string }>(
    'INSERT INTO tenants (name) VALUES ($1) RETURNING tenant_id AS "tenantId"', [name])
  const tenantId = rows[0]!.tenantId
  const { apiKey, keyId } = await addApiKey(db, tenantId)
  return { tenantId, name, apiKey, keyId }
}

export async function addApiKey (db: Queryable, tenantId: string, label?: string): Promise<{ apiKey: string, keyId: string }> {
  const key = issueApiKey()
  const { rows } = await db.query<{ keyId: string }>(
    'INSERT INTO api_keys (tenant_id, prefix, key_hash, label) VALUES ($1, $2, $3, $4) RETURNING key_id AS "keyId"',
    [tenantId, key.prefix, key.hash, label ?? null])
  return { apiKey: key.apiKey, keyId: rows[0]!.keyId }
}

/** Idempotent: the tenant and key exist afterwards, whichever replica got there first. */
export async function ensureTenantWithKey (db: Queryable, name: string, apiKey: string): Promise<string> {
  const { rows } = await db.query<{ tenantId: string }>(
    `INSERT INTO tenants (name) VALUES ($1)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
     RETURNING tenant_id AS "tenantId"`, [name])
  const tenantId = rows[0]!.tenantId
  const key = describeKey(apiKey)
  // A rotated bootstrap key replaces the previous one: the old one is revoked in the same statement.
  await db.query(
    `WITH added AS (
       INSERT INTO api_keys (tenant_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'bootstrap')
       ON CONFLICT (tenant_id, key_hash) DO UPDATE SET revoked_at = NULL)
     , retired AS (
       UPDATE api_keys SET revoked_at = now()
       WHERE tenant_id = $1 AND label = 'bootstrap' AND key_hash <> $3 AND revoked_at IS NULL RETURNING 1)
     SELECT pg_notify($4, 'api-keys:' || $1) FROM (SELECT count(*) FROM retired) AS r`,
    [tenantId, key.prefix, key.hash, CHANGE_CHANNEL])
  return tenantId
}

export async function findTenantByName (db: Queryable, name: string): Promise<Tenant | undefined> {
  const { rows } = await db.query<Tenant>(`SELECT ${tenantColumns} FROM tenants WHERE name = $1`, [name])
  return rows[0]
}

export async function listTenants (db: Queryable): Promise<Array<Tenant & { activeKeys: number }>> {
  const { rows } = await db.query<Tenant & { activeKeys: number }>(
    `SELECT ${tenantColumns},
       (SELECT count(*)::int FROM api_keys k WHERE k.tenant_id = t.tenant_id AND k.revoked_at IS NULL) AS "activeKeys"
     FROM tenants t ORDER BY created_at, name`)
  return rows
}

/** Revokes one key by its id, or every key of the tenant; returns how many were revoked. */
export async function revokeKeys (db: Queryable, tenantId: string, keyId?: string): Promise<number> {
  // The notification is part of the same statement, so it is sent exactly when the revocation
  // commits: every replica then drops its cached lookups of this tenant's keys.
  const { rows } = await db.query<{ revoked: number }>(
    `WITH revoked AS (
       UPDATE api_keys SET revoked_at = now()
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR key_id = $2::uuid) AND revoked_at IS NULL RETURNING 1)
     SELECT count(*)::int AS revoked, pg_notify($3, 'api-keys:' || $1) FROM revoked`,
    [tenantId, keyId ?? null, CHANGE_CHANNEL])
  return rows[0]!.revoked
}

/** The tenant of a key, given as text or already described (prefix and hash computed once). */
export async function tenantForApiKey (db: Queryable, apiKey: string | IssuedKey): Promise<Tenant | undefined> {
  return (await lookupApiKey(db, apiKey)).tenant
}

/** The tenant an API key belongs to, and whether any active key has its prefix at all. */
export async function lookupApiKey (db: Queryable, apiKey: string | IssuedKey): Promise<{ tenant: Tenant | undefined, prefixKnown: boolean }> {
  const key = typeof apiKey === 'string' ? describeKey(apiKey) : apiKey
  const { rows } = await db.query<Tenant & { keyHash: Buffer }>(
    `SELECT t.tenant_id AS "tenantId", t.name, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            k.key_hash AS "keyHash"
     FROM api_keys k JOIN tenants t USING (tenant_id)
     WHERE k.prefix = $1 AND k.revoked_at IS NULL`, [key.prefix])
  // Compare every candidate so timing does not reveal which prefix matched.
  let found: Tenant | undefined
  for (const row of rows) {
    if (sameHash(row.keyHash, key.hash) && found === undefined) found = { tenantId: row.tenantId, name: row.name, createdAt: row.createdAt }
  }
  return { tenant: found, prefixKnown: rows.length > 0 }
}

export interface ApiKeyInfo { keyId: string, prefix: string, label: string | null, createdAt: string, revokedAt: string | null }

/** Every key of every tenant (never the key or its hash), by tenant, oldest first. */
export async function listApiKeys (db: Queryable): Promise<Map<string, ApiKeyInfo[]>> {
  const { rows } = await db.query<ApiKeyInfo & { tenantId: string }>(
    `SELECT tenant_id AS "tenantId", key_id AS "keyId", prefix, label,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
       to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "revokedAt"
     FROM api_keys ORDER BY created_at, key_id`)
  const byTenant = new Map<string, ApiKeyInfo[]>()
  for (const { tenantId, ...key } of rows) {
    const keys = byTenant.get(tenantId) ?? []
    keys.push(key)
    byTenant.set(tenantId, keys)
  }
  return byTenant
}
