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

/** A quote to store: its document as the UTF-8 bytes the engine wrote (or as text), and its options array. */
export type NewQuote = Omit<QuoteRecord, 'body'> & { body: Uint8Array | string, options: Uint8Array | string }

const QUOTE_COLUMNS = ['tenant_id', 'quote_id', 'loan_id', 'policy_name', 'policy_version', 'currency', 'created_at', 'expires_at', 'body', 'options']

const insertTexts = new Map<number, string>()

/** `INSERT … VALUES ($1, …, $9), ($10, …)` for `rows` rows, built once per row count. */
function insertText (rows: number): string {
  let text = insertTexts.get(rows)
  if (text === undefined) {
    const width = QUOTE_COLUMNS.length
    const tuples = Array.from({ length: rows }, (_, r) => `(${QUOTE_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`)
    text = `INSERT INTO quotes (${QUOTE_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`
    insertTexts.set(rows, text)
  }
  return text
}

/**
 * Inserts any number of quotes in one statement (one round trip, one commit). Each ~15 kB body
 * travels as its own parameter, copied once into the wire buffer: wrapping the rows in one JSON
 * document (or an array literal) would escape every body again on the event loop. A body given
 * as bytes goes in binary format, which for text is the UTF-8 itself (PostgreSQL still checks
 * the encoding), so it is never decoded to a string and encoded again; the options array (json)
 * goes the same way.
 */
export async function insertQuotes (db: Queryable, quotes: readonly NewQuote[]): Promise<void> {
  const values: unknown[] = []
  for (const q of quotes) {
    values.push(q.tenantId, q.quoteId, q.loanId, q.policyName, q.policyVersion, q.currency, q.createdAt, q.expiresAt, q.body, q.options)
  }
  await db.query({ name: `insert-quotes-${quotes.length}`, text: insertText(quotes.length), values })
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
