import t from 'tap'
import fc from 'fast-check'
import { computeQuote, isQuoteInputError, standardPolicy } from '../../src/domain/index.js'
import { optionText } from '../../src/services/quote-option-locator.js'

// A stored quote body exactly as createQuote writes it, for a loan id that may try to look like
// an option (braces, quotes, backslashes, the very text an option begins with).
const hostileId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.constantFrom('{"id":"settlement","type":', '"options":[', '"rejectedOptions":[', '}]}', '\\"{', 'L-1')
)
const bodyArb = fc.record({
  loanId: hostileId,
  balance: fc.integer({ min: 1, max: 50_000_000 }),
  overdueDays: fc.integer({ min: 0, max: 400 }),
  rate: fc.integer({ min: 0, max: 360 }),
  income: fc.integer({ min: 0, max: 5_000_000 })
}).map((c) => {
  const computed = computeQuote({
    asOf: '2026-11-29',
    loan: { loanId: c.loanId, currency: 'CNY', balance: (c.balance / 100).toFixed(2), overdueDays: c.overdueDays, annualInterestRate: (c.rate / 1000).toFixed(3) },
    borrower: { monthlyIncome: (c.income / 100).toFixed(2) }
  }, standardPolicy)
  if (isQuoteInputError(computed)) return undefined
  return JSON.stringify({ id: '6f1c5d8e-0000-4000-8000-000000000000', policy: { name: 'standard', version: 1 }, createdAt: '2026-11-29T00:00:00.000Z', expiresAt: '2026-12-29T00:00:00.000Z', ...computed })
}).filter((b): b is string => b !== undefined)

t.test('each offered option is found and parses to exactly what parsing the whole body gives', async (t) => {
  fc.assert(fc.property(bodyArb, (body) => {
    const quote = JSON.parse(body) as { options: Array<{ id: string }>, rejectedOptions: Array<{ id: string }> }
    for (const option of quote.options) {
      const text = optionText(body, option.id)
      if (text === undefined) return false
      if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(option)) return false
    }
    // A rejected option starts like an offered one but is not an option of the quote.
    return quote.rejectedOptions.every((r) => optionText(body, r.id) === undefined)
  }), { numRuns: 300 })
})

t.test('an unknown option, a body without options, or a cut-off body finds nothing', async (t) => {
  const body = fc.sample(bodyArb, { numRuns: 1, seed: 7 })[0]!
  const first = (JSON.parse(body) as { options: Array<{ id: string }> }).options[0]!.id
  t.ok(optionText(body, first), 'found in the whole body')
  t.equal(optionText(body, 'no-such-option'), undefined)
  t.equal(optionText(body, '"'), undefined, 'an id needing escapes is looked up escaped, and is absent')
  t.equal(optionText('{"id":"x"}', first), undefined, 'no options array')
  const start = body.indexOf(`{"id":"${first}"`)
  t.equal(optionText(body.slice(0, start + 40), first), undefined, 'an option cut off before its end')
})
