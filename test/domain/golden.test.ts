// Byte-for-byte guard for engine optimisations: ~200 seeded, deliberately
// varied quotes (both day counts, both methods, both rounding modes, CNY/JPY/
// KWD, zero rates, deferral and settlement edge cases, input errors) hashed
// together. The hash was taken from the engine before any speed work; a
// single changed digit anywhere in any quote fails it. Issue 12 changed it
// deliberately (34 of the 202): ACT/365 holiday interest on actual days, plans
// whose level payment rounds to 0 refused, plans that repay early offered
// under their real term, and the malformed-money message.
import { createHash } from 'node:crypto'
import t from 'tap'
import { computeQuote, type QuoteRequest } from '../../src/domain/index.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'

const GOLDEN_SHA256 = '43db6d455504370eb943f588007c90caddb85a0052828f9ddbbc04a6ad87b804'

// mulberry32, as in bench/lib/loans.js: a fixed mix on every run.
function rng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const actualDays: Policy = {
  ...standardPolicy,
  roundingMode: 'HALF_EVEN',
  dayCount: 'ACT/365',
  penalty: { graceDays: 0, penaltyMarkup: '0.3', lateFeeFixed: '5', lateFeeRate: '0.01', annualCostCap: null },
  installment: { termsMonths: [1, 2, 6, 12, 24, 36], methods: ['annuity', 'equal_principal'], maxTermMonths: 36, penaltyWaiver: '0.25' },
  deferral: { holidayMonths: [1, 2, 12], maxOverdueDays: 30, penaltyWaiver: '0.75', repaymentMonths: 24, waiveHolidayInterest: true },
  settlement: { windowDays: 45, penaltyWaiver: '0.5', discountByBucket: { M0: '0', M2: '0.05', M3: '0.15', 'M4+': '0.333' } }
}

const kuwait: Policy = {
  ...standardPolicy,
  currency: 'KWD',
  annualInterestRate: '0.0725',
  roundingMode: 'HALF_EVEN',
  penalty: { graceDays: 10, penaltyMarkup: '1', lateFeeFixed: '1.250', lateFeeRate: '0.005', annualCostCap: '0.1' },
  installment: { termsMonths: [30, 3, 1, 7], methods: ['equal_principal', 'annuity'], maxTermMonths: 30, penaltyWaiver: '0.75' },
  deferral: { holidayMonths: [6, 24], maxOverdueDays: 365, penaltyWaiver: '1', repaymentMonths: 12, waiveHolidayInterest: false },
  affordability: { maxShareOfDisposableIncome: '0.35' }
}

const interestFree: Policy = {
  ...standardPolicy,
  currency: 'JPY',
  annualInterestRate: '0',
  roundingMode: 'HALF_EVEN',
  dayCount: 'ACT/365',
  penalty: { graceDays: 0, penaltyMarkup: '0', lateFeeFixed: '100', lateFeeRate: '0', annualCostCap: '0' },
  installment: { ...standardPolicy.installment, methods: ['equal_principal', 'annuity'] },
  deferral: { holidayMonths: [], maxOverdueDays: 0, penaltyWaiver: '0', repaymentMonths: 60, waiveHolidayInterest: false },
  settlement: { windowDays: 1, penaltyWaiver: '0', discountByBucket: {} }
}

const halfUpActual: Policy = { ...standardPolicy, dayCount: 'ACT/365', installment: { ...standardPolicy.installment, methods: ['annuity', 'equal_principal'] } }

const policies: readonly Policy[] = [standardPolicy, actualDays, kuwait, interestFree, halfUpActual]
const currencies = ['CNY', 'JPY', 'KWD'] as const
const rates = ['0', '0.001', '0.0365', '0.094822', '0.12', '0.15678', '0.24', '0.36', '1', '0.123456789']
const asOfs = ['2024-01-31', '2024-02-29', '2025-12-31', '2026-01-15', '2026-08-31', '1900-01-01', '2999-01-31']

function money (r: () => number, currency: string, maxMajor: number): string {
  const digits = currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2
  const major = Math.floor(r() ** 3 * maxMajor)
  if (digits === 0) return String(major)
  return `${major}.${String(Math.floor(r() * 10 ** digits)).padStart(digits, '0')}`
}

function requests (): QuoteRequest[] {
  const r = rng(20260115)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const out: QuoteRequest[] = []
  for (let i = 0; i < 200; i++) {
    const policy = policies[i % policies.length] as Policy
    const explicit = r() < 0.8
    // Amounts are drawn in the currency the quote will use, so most requests are valid.
    // (The Kuwaiti policy's 1.250 fee exists only in a three-digit currency.)
    const currency = explicit && policy !== kuwait ? pick(currencies) : policy.currency
    const smallest = currency === 'KWD' ? '0.001' : currency === 'JPY' ? '1' : '0.01'
    // Fifteen integer digits: minor units far beyond 2^53, so no Number shortcut can hide.
    const largest = currency === 'KWD' ? '999999999999999.999' : currency === 'JPY' ? '999999999999999' : '987654321098765.43'
    const balance = i % 37 === 0 ? smallest : i % 41 === 5 ? largest : money(r, currency, 3_000_000)
    const overdueDays = pick([0, 1, 3, 4, 10, 11, 30, 31, 60, 61, 90, 91, 365, 400, 3650, Math.floor(r() * 500)])
    const withExtras = r() < 0.4
    const fraction = r()
    out.push({
      asOf: pick(asOfs),
      loan: {
        loanId: `G-${i}`,
        balance: balance === '0' || balance === '0.00' || balance === '0.000' ? '1' : balance,
        overdueDays,
        ...(explicit ? { currency } : {}),
        ...(r() < 0.85 ? { annualInterestRate: pick(rates) } : {}),
        ...(withExtras
          ? {
              accruedInterest: money(r, currency, 5_000),
              feesDue: money(r, currency, 500),
              // overdueAmount ≤ balance keeps the request valid
              overdueAmount: fraction < 0.1 ? '0' : undefined
            }
          : {})
      },
      borrower: {
        monthlyIncome: r() < 0.1 ? '0' : money(r, currency, 200_000),
        ...(r() < 0.7 ? { monthlyObligations: money(r, currency, 50_000) } : {}),
        ...(r() < 0.5 ? { availableFunds: money(r, currency, 5_000_000) } : {})
      }
    })
  }
  // A few deliberate input errors, so the error path is pinned too.
  out.push({ asOf: '2026-02-30', loan: { loanId: 'E-1', balance: '1.234', overdueDays: -1, currency: 'JPY' }, borrower: { monthlyIncome: 'x' } })
  out.push({ asOf: '2026-01-15', loan: { loanId: 'E-2', balance: '0', overdueDays: 5, currency: 'XYZ' }, borrower: { monthlyIncome: '1' } })
  return out
}

function strip (req: QuoteRequest): QuoteRequest {
  // JSON round-trip drops the undefined keys the generator leaves behind.
  return JSON.parse(JSON.stringify(req)) as QuoteRequest
}

t.test('quotes for the golden mix are byte-identical to the pinned engine output', async t => {
  const outputs: unknown[] = []
  requests().forEach((req, i) => {
    const policy = policies[i % policies.length] as Policy
    try {
      outputs.push(computeQuote(strip(req), policy))
    } catch (e) {
      outputs.push({ thrown: (e as Error).name, message: (e as Error).message })
    }
  })
  const text = JSON.stringify(outputs)
  const hash = createHash('sha256').update(text).digest('hex')
  // Sanity: the mix really exercises what it claims to.
  const count = (re: RegExp): number => (text.match(re) ?? []).length
  for (const currency of currencies) t.ok(count(new RegExp(`"currency":"${currency}"`, 'g')) > 20, currency)
  t.ok(count(/"id":"installment-equal_principal/g) > 100, 'equal principal plans')
  t.ok(count(/"id":"deferral-\d+","type":"deferral","termMonths"/g) > 100, 'deferrals offered')
  t.ok(count(/"id":"deferral-\d+","type":"deferral","reason"/g) > 100, 'deferrals refused')
  t.ok(count(/"discount":"[1-9]/g) > 20, 'settlement discounts')
  t.ok(count(/"capApplied":true/g) > 20, 'penalty caps')
  t.ok(count(/"needsReview":true/g) > 20, 'reviews')
  t.equal(count(/"errors"/g), 2, 'only the deliberate input errors')
  t.equal(hash, GOLDEN_SHA256)
})
