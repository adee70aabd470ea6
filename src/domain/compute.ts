// The engine's entry points: a quote request and a policy in, the quote document out (as the
// JSON-ready object, or as the UTF-8 bytes the service stores and sends).
import { compilePolicy } from './compiled-policy.js'
import type { Policy } from './policy.js'
import { buildQuote } from './quote.js'
import { quoteJsonBytes, type QuoteHeader } from './quote-bytes.js'
import { quoteToJson, type QuoteComputation } from './quote-json.js'
import { isQuoteInputError, parseQuoteRequest, type QuoteInputError, type QuoteRequest } from './quote-request.js'

// Throws PolicyError only for a policy that fails policyProblems; problems
// with the request come back as a QuoteInputError value.
export function computeQuote (request: QuoteRequest, policy: Policy): QuoteComputation | QuoteInputError {
  const input = parseQuoteRequest(request, compilePolicy(policy))
  if (isQuoteInputError(input)) return input
  return quoteToJson(buildQuote(input, policy))
}

/** The quote document as UTF-8 JSON (what the API returns and stores), with what a record needs. */
export interface QuoteDocument {
  json: Uint8Array
  /** The document's `options` array, a view into `json`. */
  options: Uint8Array
  loanId: string
  currency: string
}

export function computeQuoteDocument (request: QuoteRequest, policy: Policy, header: QuoteHeader): QuoteDocument | QuoteInputError {
  const input = parseQuoteRequest(request, compilePolicy(policy))
  if (isQuoteInputError(input)) return input
  const { json, optionsStart, optionsEnd } = quoteJsonBytes(buildQuote(input, policy), header)
  return { json, options: json.subarray(optionsStart, optionsEnd), loanId: input.loanId, currency: input.currency }
}
