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

/** Inserts any number of quotes in one statement (one round trip, one commit). */
export async function insertQuotes (db: Queryable, quotes: readonly QuoteRecord[]): Promise<void> {
  await db.query(
    `INSERT INTO quotes (tenant_id, quote_id, loan_id, policy_name, policy_version, currency, created_at, expires_at, body)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::char(3)[], $7::timestamptz[], $8::timestamptz[], $9::text[])`,
    [quotes.map((q) => q.tenantId), quotes.map((q) => q.quoteId), quotes.map((q) => q.loanId), quotes.map((q) => q.policyName),
      quotes.map((q) => q.policyVersion), quotes.map((q) => q.currency), quotes.map((q) => q.createdAt),
      quotes.map((q) => q.expiresAt), quotes.map((q) => q.body)])
}

/** The stored response text of a quote, scoped to the tenant (another tenant's id is simply absent). */
export async function findQuote (db: Queryable, tenantId: string, quoteId: string): Promise<QuoteRecord | undefined> {
  const { rows } = await db.query<QuoteRecord>(
    `SELECT tenant_id AS "tenantId", quote_id AS "quoteId", loan_id AS "loanId", policy_name AS "policyName",
            policy_version AS "policyVersion", currency,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt", body
     FROM quotes WHERE tenant_id = $1 AND quote_id = $2`, [tenantId, quoteId])
  return rows[0]
}

