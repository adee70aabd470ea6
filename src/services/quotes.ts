import { randomUUID } from 'node:crypto'
import { computeQuoteDocument, isQuoteInputError } from '../domain/index.js'
import type { Queryable } from '../db/pool.js'
import { findQuote } from '../db/quotes-repository.js'
import type { QuoteWriter } from '../db/quote-writer.js'
import { notFound, Problem } from '../http/problems.js'
import type { QuoteRequestBody } from '../http/schemas/quote.js'
import { resolvePolicy, STANDARD, type ResolvedPolicy } from './policies.js'
import type { TenantCache } from './tenant-cache.js'

const DAY_MS = 86_400_000

/** A new quote's id and its document as UTF-8 JSON, exactly as stored. */
export interface StoredQuote { id: string, body: Buffer }

/** Computes a quote with the tenant's policy, stores the exact response bytes, returns them. */
export interface QuoteStore { db: Queryable, writer: QuoteWriter, policies?: TenantCache<ResolvedPolicy> }

export async function createQuote ({ db, writer, policies }: QuoteStore, tenantId: string, request: QuoteRequestBody, now = new Date()): Promise<StoredQuote> {
  const policy = await resolvePolicy(db, tenantId, request.policy ?? STANDARD, policies)
  const asOf = request.asOf ?? now.toISOString().slice(0, 10)
  const id = randomUUID()
  const createdAt = now.toISOString()
  const expiresAt = new Date(now.getTime() + policy.rules.quoteValidityDays * DAY_MS).toISOString()
  const header = { id, policy: { name: policy.name, version: policy.version }, createdAt, expiresAt }
  const computed = computeQuoteDocument({ asOf, loan: request.loan, borrower: request.borrower }, policy.rules, header)
  if (isQuoteInputError(computed)) {
    const errors = computed.errors.map((e) => ({ path: `/body${e.path}`, message: e.message }))
    throw new Problem(400, 'validation', 'Bad Request', errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors })
  }
  // A view of the engine's bytes, not a copy: PostgreSQL and the response both take a Buffer.
  const body = Buffer.from(computed.json.buffer, computed.json.byteOffset, computed.json.byteLength)
  await writer.write({
    tenantId, quoteId: id, loanId: computed.loanId, policyName: policy.name, policyVersion: policy.version,
    currency: computed.currency, createdAt, expiresAt, body
  })
  return { id, body }
}

export async function getQuote (db: Queryable, tenantId: string, quoteId: string): Promise<string> {
  const found = await findQuote(db, tenantId, quoteId)
  if (found === undefined) throw notFound('the quote')
  return found.body
}
