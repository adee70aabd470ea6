// The service code the bench runs in its own processes (the engine loop; the bare ceiling's
// validator and schemas). The only file under bench/ that imports from src/: a rename there fails
// `npm run typecheck`, and a move is one line here.
import { computeQuoteDocument } from '../../src/domain/index.js'

export { computeQuoteDocument }
export { standardPolicy, buildQuote, parseQuoteRequest, isQuoteInputError, quoteToJson, type Quote } from '../../src/domain/index.js'
// Internals, for bench/quote-document.ts's A/B of the document writers only.
export { compilePolicy } from '../../src/domain/compiled-policy.js'
export { quoteJsonBytes } from '../../src/domain/quote-bytes.js'
export { buildValidator } from '../../src/http/validation.js'
export { QuoteOptionSchema, QuoteRequestSchema, QuoteSchema, ScheduleRowSchema } from '../../src/schemas/quote.js'

/** What the engine takes; the HTTP body is the same without `asOf`. */
export type QuoteRequest = Parameters<typeof computeQuoteDocument>[0]
export type QuoteHeader = Parameters<typeof computeQuoteDocument>[2]
