import type { Queryable } from './pool.js'
import { describeKey, issueApiKey, sameHash } from '../auth/api-keys.js'
import { announceChange } from './change-feed.js'

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
  await db.query(
    `INSERT INTO api_keys (tenant_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'bootstrap')
     ON CONFLICT (tenant_id, key_hash) DO NOTHING`, [tenantId, key.prefix, key.hash])
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
  const { rowCount } = await db.query(
    `UPDATE api_keys SET revoked_at = now()
     WHERE tenant_id = $1 AND ($2::uuid IS NULL OR key_id = $2::uuid) AND revoked_at IS NULL`,
    [tenantId, keyId ?? null])
  // Every replica drops its cached lookups of this tenant's keys.
  await announceChange(db, 'api-keys', tenantId)
  return rowCount ?? 0
}

export async function tenantForApiKey (db: Queryable, apiKey: string): Promise<Tenant | undefined> {
  const key = describeKey(apiKey)
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
  return found
}
