import type { Policy } from '../domain/index.js'
import type { Queryable } from './pool.js'
import { CHANGE_CHANNEL } from './change-feed.js'
import { isUniqueViolation } from './errors.js'

export interface StoredPolicy { name: string, version: number, rules: Policy, createdAt: string }

const columns = `name, version, body AS rules,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`

export async function latestPolicy (db: Queryable, tenantId: string, name: string): Promise<StoredPolicy | undefined> {
  const { rows } = await db.query<StoredPolicy>(
    `SELECT ${columns} FROM policies WHERE tenant_id = $1 AND name = $2 ORDER BY version DESC LIMIT 1`, [tenantId, name])
  return rows[0]
}

export async function latestPolicies (db: Queryable, tenantId: string): Promise<StoredPolicy[]> {
  const { rows } = await db.query<StoredPolicy>(
    `SELECT DISTINCT ON (name) ${columns} FROM policies WHERE tenant_id = $1 ORDER BY name, version DESC`, [tenantId])
  return rows
}

/**
 * Stores the next version after the latest (or after `floor` when none is stored). The primary
 * key decides races: a concurrent writer of the same version gets undefined and may try again.
 */
export async function insertPolicyVersion (db: Queryable, tenantId: string, name: string, rules: Policy, floor: number): Promise<StoredPolicy | undefined> {
  try {
    return await insertNextVersion(db, tenantId, name, rules, floor)
  } catch (err) {
    if (isUniqueViolation(err)) return undefined
    throw err
  }
}

async function insertNextVersion (db: Queryable, tenantId: string, name: string, rules: Policy, floor: number): Promise<StoredPolicy> {
  // The change notification rides in the same statement: sent when, and only if, it commits.
  const { rows } = await db.query<StoredPolicy>(
    `WITH stored AS (
       INSERT INTO policies (tenant_id, name, version, body)
       SELECT $1, $2, coalesce(max(version), $4) + 1, $3::jsonb FROM policies WHERE tenant_id = $1 AND name = $2
       RETURNING *)
     SELECT ${columns}, pg_notify($5, 'policies:' || $1) FROM stored`, [tenantId, name, JSON.stringify(rules), floor, CHANGE_CHANNEL])
  return rows[0]!
}

/** One version of a policy (versions never change once stored). */
export async function policyVersion (db: Queryable, tenantId: string, name: string, version: number): Promise<Policy | undefined> {
  const { rows } = await db.query<{ rules: Policy }>({
    name: 'policy-version',
    text: 'SELECT body AS rules FROM policies WHERE tenant_id = $1 AND name = $2 AND version = $3',
    values: [tenantId, name, version]
  })
  return rows[0]?.rules
}
