import { randomUUID } from 'node:crypto'
import { computeQuoteDocument, isQuoteInputError } from '../domain/index.js'
import { InvalidRequest, NotFound } from '../domain/errors.js'
import type { Queryable } from '../db/pool.js'
import { findQuote } from '../db/quotes-repository.js'
import type { QuoteWriter } from '../db/quote-writer.js'
import type { QuoteRequestBody } from '../schemas/quote.js'
import type { PolicyService } from './policies.js'
import { STANDARD } from './policies.js'

const DAY_MS = 86_400_000

/** A new quote's id and its document as UTF-8 JSON, exactly as stored. */
export interface StoredQuote { id: string, body: Buffer }

/** Computes quotes with the tenant's policy and stores each document exactly as answered. */
export class QuoteService {
  constructor (private readonly db: Queryable, private readonly writer: QuoteWriter, private readonly policies: PolicyService) {}

  async create (tenantId: string, request: QuoteRequestBody, now = new Date()): Promise<StoredQuote> {
    const policy = await this.policies.resolve(tenantId, request.policy ?? STANDARD)
    const asOf = request.asOf ?? now.toISOString().slice(0, 10)
    const id = randomUUID()
    const createdAt = now.toISOString()
    const expiresAt = new Date(now.getTime() + policy.rules.quoteValidityDays * DAY_MS).toISOString()
    const header = { id, policy: { name: policy.name, version: policy.version }, createdAt, expiresAt }
    const computed = computeQuoteDocument({ asOf, loan: request.loan, borrower: request.borrower }, policy.rules, header)
    if (isQuoteInputError(computed)) throw new InvalidRequest(computed.errors.map((e) => ({ path: `/body${e.path}`, message: e.message })))
    // A view of the engine's bytes, not a copy: PostgreSQL and the response both take a Buffer.
    const body = Buffer.from(computed.json.buffer, computed.json.byteOffset, computed.json.byteLength)
    await this.writer.write({
      tenantId, quoteId: id, loanId: computed.loanId, policyName: policy.name, policyVersion: policy.version,
      currency: computed.currency, createdAt, expiresAt, body, options: computed.options
    })
    return { id, body }
  }

  /** The stored document, byte for byte as first answered. */
  async get (tenantId: string, quoteId: string): Promise<string> {
    const found = await findQuote(this.db, tenantId, quoteId)
    if (found === undefined) throw new NotFound('quote')
    return found.body
  }
}
