import type { Queryable } from './pool.js'

export interface QuoteRecord {
  tenantId: string
  quoteId: string
  loanId: string
  policyName: string
  policyVersion: number
  currency: string
  createdAt: string
  expiresAt: string
  body: string
}

/**
 * Inserts any number of quotes in one statement (one round trip, one commit). The rows travel as
 * one JSON document: serializing ~15 kB bodies into a PostgreSQL array literal escapes every
 * character in JavaScript, while JSON.stringify is native.
 */
export async function insertQuotes (db: Queryable, quotes: readonly QuoteRecord[]): Promise<void> {
  await db.query({
    name: 'insert-quotes',
    text: `INSERT INTO quotes (tenant_id, quote_id, loan_id, policy_name, policy_version, currency, created_at, expires_at, body)
     SELECT "tenantId", "quoteId", "loanId", "policyName", "policyVersion", currency, "createdAt", "expiresAt", body
     FROM json_to_recordset($1::json) AS q("tenantId" uuid, "quoteId" uuid, "loanId" text, "policyName" text, "policyVersion" int,
       currency char(3), "createdAt" timestamptz, "expiresAt" timestamptz, body text)`,
    values: [JSON.stringify(quotes)]
  })
}

/** The stored response text of a quote, scoped to the tenant (another tenant's id is simply absent). */
export async function findQuote (db: Queryable, tenantId: string, quoteId: string): Promise<QuoteRecord | undefined> {
  const { rows } = await db.query<QuoteRecord>({
    name: 'find-quote',
    text: `SELECT tenant_id AS "tenantId", quote_id AS "quoteId", loan_id AS "loanId", policy_name AS "policyName",
            policy_version AS "policyVersion", currency,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt", body
     FROM quotes WHERE tenant_id = $1 AND quote_id = $2`,
    values: [tenantId, quoteId]
  })
  return rows[0]
}


/** Deletes unaccepted quotes expired more than `retentionDays` ago, a batch at a time. */
export async function pruneQuotes (db: Queryable, retentionDays: number, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM quotes WHERE ctid IN (
       SELECT q.ctid FROM quotes q
       WHERE q.expires_at < now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.tenant_id = q.tenant_id AND p.quote_id = q.quote_id)
       LIMIT $2)`, [retentionDays, batch])
  return rowCount ?? 0
}
