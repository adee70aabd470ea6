import t from 'tap'
import fc from 'fast-check'
import { buildQuote, computeQuoteDocument, isQuoteInputError, parseQuoteRequest, quoteToJson, type QuoteHeader, type QuoteRequest } from '../../src/domain/index.js'
import { quoteJsonBytes } from '../../src/domain/quote-bytes.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'
import { compilePolicy } from '../../src/domain/compiled-policy.js'
import { addDays } from '../../src/domain/dates.js'
import { currencyDigits } from '../../src/domain/currency.js'
import { formatMoney } from '../../src/domain/money.js'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { QuoteOptionSchema, QuoteSchema, ScheduleRowSchema } from '../../src/schemas/quote.js'

// Varied policies (both day counts, methods and rounding modes; CNY/JPY/KWD; holidays) and loans
// from one minor unit to 10^15 (so schedules take both the exact-Number and the bigint paths),
// with loan ids that need escaping.
const policyArb = fc.record({
  dayCount: fc.constantFrom('30/360' as const, 'ACT/365' as const),
  roundingMode: fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const),
  methods: fc.constantFrom<Array<'annuity' | 'equal_principal'>>(['annuity'], ['equal_principal'], ['annuity', 'equal_principal']),
  terms: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }),
  holiday: fc.integer({ min: 1, max: 12 }),
  waiveHolidayInterest: fc.boolean(),
  currency: fc.constantFrom('CNY', 'JPY', 'KWD')
}).map(p => ({
  ...standardPolicy,
  currency: p.currency,
  dayCount: p.dayCount,
  roundingMode: p.roundingMode,
  installment: { ...standardPolicy.installment, termsMonths: p.terms, methods: p.methods },
  deferral: { ...standardPolicy.deferral, holidayMonths: [p.holiday], waiveHolidayInterest: p.waiveHolidayInterest }
}) satisfies Policy)

const caseArb = fc.record({
  policy: policyArb,
  balance: fc.oneof(fc.bigInt(1n, 100_000_000n), fc.bigInt(1n, 10n ** 15n)),
  micros: fc.integer({ min: 0, max: 400_000 }),
  overdueDays: fc.integer({ min: 0, max: 400 }),
  asOf: fc.integer({ min: 0, max: 3650 }).map(d => addDays('2020-01-01', d)),
  income: fc.bigInt(0n, 100_000_000n),
  loanId: fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.constantFrom('L-1', 'quote "x" \\ y', 'é€😀', '{"id":"settlement"}'))
}).map(c => {
  const digits = currencyDigits(c.policy.currency) ?? 2
  const request: QuoteRequest = {
    asOf: c.asOf,
    loan: { loanId: c.loanId, balance: formatMoney(c.balance, digits), overdueDays: c.overdueDays, annualInterestRate: (c.micros / 1e6).toFixed(6) },
    borrower: { monthlyIncome: formatMoney(c.income, digits) }
  }
  return { policy: c.policy, request }
})

const header: QuoteHeader = { id: '6f1c5d8e-0000-4000-8000-000000000000', policy: { name: 'standard', version: 3 }, createdAt: '2026-11-29T04:00:00.000Z', expiresAt: '2026-12-29T04:00:00.000Z' }

t.test('the quote document is byte for byte JSON.stringify of the header and the quote object, as UTF-8', async t => {
  let checked = 0
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const input = parseQuoteRequest(request, compilePolicy(policy))
    if (isQuoteInputError(input)) return true
    const q = buildQuote(input, policy)
    checked++
    return Buffer.from(quoteJsonBytes(q, header).json).equals(Buffer.from(JSON.stringify({ ...header, ...quoteToJson(q) })))
  }), { numRuns: 400 })
  t.ok(checked > 250, `compared ${checked} quotes`)
})

t.test('computeQuoteDocument: the document, the loan id and currency for the record, or the input errors', async t => {
  const request: QuoteRequest = { asOf: '2026-01-15', loan: { loanId: 'L-9', balance: '12000.00', overdueDays: 45, annualInterestRate: '0.18' }, borrower: { monthlyIncome: '8000.00' } }
  const doc = computeQuoteDocument(request, standardPolicy, header)
  if (isQuoteInputError(doc)) throw new Error('unexpected input error')
  t.same([doc.loanId, doc.currency], ['L-9', 'CNY'])
  t.equal(JSON.parse(new TextDecoder().decode(doc.json)).id, header.id)
  const bad = computeQuoteDocument({ ...request, loan: { ...request.loan, balance: '-1' } }, standardPolicy, header)
  t.ok(isQuoteInputError(bad), 'a bad balance is an input error, not a document')
})

type JsonSchema = { $ref?: string, type?: string, properties?: Record<string, JsonSchema>, items?: JsonSchema, anyOf?: JsonSchema[] }
const REFS: Record<string, JsonSchema> = { 'ScheduleRow#': ScheduleRowSchema as JsonSchema, 'QuoteOption#': QuoteOptionSchema as JsonSchema }

/** Paths where the document's keys are not the schema's properties, in the schema's order. */
function keyOrderProblems (schema: JsonSchema, value: unknown, path: string, found: string[]): void {
  const s = schema.$ref !== undefined ? REFS[schema.$ref]! : schema
  if (s.anyOf !== undefined) {
    const branch = s.anyOf.find((b) => (b.$ref !== undefined || b.type === 'object') === (value !== null && typeof value === 'object' && !Array.isArray(value)))
    if (branch !== undefined) keyOrderProblems(branch, value, path, found)
  } else if (s.properties !== undefined && value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    if (keys.join() !== Object.keys(s.properties).join()) found.push(`${path}: ${keys.join()}`)
    for (const [key, sub] of Object.entries(s.properties)) keyOrderProblems(sub, (value as Record<string, unknown>)[key], `${path}/${key}`, found)
  } else if (s.items !== undefined && Array.isArray(value)) {
    value.forEach((item, i) => { keyOrderProblems(s.items!, item, `${path}/${i}`, found) })
  }
}

// The byte writer is kept for speed; this holds it to the one definition of the document.
t.test('the written document is valid against the Quote schema and has its properties in the schema\'s order', async t => {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema(ScheduleRowSchema).addSchema(QuoteOptionSchema)
  const valid = ajv.compile(QuoteSchema)
  let checked = 0
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const input = parseQuoteRequest(request, compilePolicy(policy))
    if (isQuoteInputError(input)) return true
    checked++
    const document: unknown = JSON.parse(Buffer.from(quoteJsonBytes(buildQuote(input, policy), header).json).toString('utf8'))
    const problems: string[] = []
    keyOrderProblems(QuoteSchema as JsonSchema, document, '', problems)
    if (!valid(document)) problems.push(JSON.stringify(valid.errors))
    if (problems.length > 0) throw new Error(problems.join('\n'))
    return true
  }), { numRuns: 200 })
  t.ok(checked > 100, `checked ${checked} documents`)
})
