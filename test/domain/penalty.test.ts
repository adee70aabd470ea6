import t from 'tap'
import fc from 'fast-check'
import { penaltyFor } from '../../src/domain/penalty.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'
import { parseDecimal, rational, toDecimalString } from '../../src/domain/decimal.js'
import type { Rational } from '../../src/domain/decimal.js'
import { formatMoney } from '../../src/domain/money.js'

function rate (s: string): Rational {
  return parseDecimal(s) ?? rational(0n)
}

const thousand = 100000n

t.test('charges the marked-up rate on every overdue day once grace has passed', async t => {
  const p = penaltyFor({ overdueAmount: thousand, annualInterestRate: rate('0.10'), overdueDays: 26, digits: 2 }, standardPolicy)
  t.equal(toDecimalString(p.penaltyRate), '0.15')
  t.equal(p.chargeableDays, 26)
  t.equal(formatMoney(p.penaltyInterest, 2), '10.68')
  t.equal(formatMoney(p.cap ?? -1n, 2), '17.10')
  t.equal(p.capApplied, false)
  t.equal(p.capReduction, 0n)
  t.equal(formatMoney(p.total, 2), '10.68')
  t.equal(p.base, thousand)
  t.equal(p.graceDays, 3)
})

t.test('holds penalty interest and fees under the annual cost cap', async t => {
  const p = penaltyFor({ overdueAmount: thousand, annualInterestRate: rate('0.20'), overdueDays: 26, digits: 2 }, standardPolicy)
  t.equal(toDecimalString(p.penaltyRate), '0.3')
  t.equal(formatMoney(p.penaltyInterest, 2), '21.37')
  t.equal(p.capApplied, true)
  t.equal(formatMoney(p.total, 2), '17.10')
  t.equal(formatMoney(p.capReduction, 2), '4.27')
})

t.test('charges nothing at or under the grace days', async t => {
  for (const days of [0, 1, 3]) {
    const p = penaltyFor({ overdueAmount: thousand, annualInterestRate: rate('0.12'), overdueDays: days, digits: 2 }, standardPolicy)
    t.equal(p.total, 0n, `${days} days`)
    t.equal(p.chargeableDays, 0)
    t.equal(p.capApplied, false)
  }
  const four = penaltyFor({ overdueAmount: thousand, annualInterestRate: rate('0.12'), overdueDays: 4, digits: 2 }, standardPolicy)
  t.equal(four.chargeableDays, 4, 'the grace days count once grace is exceeded')
})

const frappe: Policy = { ...standardPolicy, penalty: { ...standardPolicy.penalty, graceDays: 0, penaltyMarkup: '0', annualCostCap: null } }

t.test('reproduces the Frappe Lending penalty of 1000 × 25 % × 26/365 = 17.81', async t => {
  const p = penaltyFor({ overdueAmount: thousand, annualInterestRate: rate('0.25'), overdueDays: 26, digits: 2 }, frappe)
  t.equal(formatMoney(p.total, 2), '17.81')
  t.equal(p.cap, null)
  t.equal(p.capApplied, false)
})

t.test('adds a fixed and a proportional late fee once days are chargeable', async t => {
  const fees: Policy = { ...standardPolicy, penalty: { ...standardPolicy.penalty, lateFeeFixed: '5', lateFeeRate: '0.01', annualCostCap: null } }
  const p = penaltyFor({ overdueAmount: 12345n, annualInterestRate: rate('0.12'), overdueDays: 10, digits: 2 }, fees)
  t.equal(p.lateFee, 500n + 123n)
  t.equal(p.total, p.penaltyInterest + p.lateFee)
  const none = penaltyFor({ overdueAmount: 12345n, annualInterestRate: rate('0.12'), overdueDays: 2, digits: 2 }, fees)
  t.equal(none.lateFee, 0n)
})

t.test('rounds the fee sum once, so HALF_EVEN sees the fixed part', async t => {
  const fees: Policy = { ...standardPolicy, roundingMode: 'HALF_EVEN', penalty: { ...standardPolicy.penalty, lateFeeFixed: '0.01', lateFeeRate: '0.5', annualCostCap: null } }
  // 0.01 + 0.01 × 0.5 = 1.5 minor units → 2 (even), not 1 + round(0.5) = 1
  const p = penaltyFor({ overdueAmount: 1n, annualInterestRate: rate('0'), overdueDays: 30, digits: 2 }, fees)
  t.equal(p.lateFee, 2n)
})

t.test('refuses a fixed fee the currency cannot express', async t => {
  const fees: Policy = { ...standardPolicy, penalty: { ...standardPolicy.penalty, lateFeeFixed: '0.5' } }
  t.throws(() => penaltyFor({ overdueAmount: 1000n, annualInterestRate: rate('0.12'), overdueDays: 30, digits: 0 }, fees), RangeError)
})

t.test('penalty total stays between zero and the cap', async t => {
  const policyArb = fc.record({
    markup: fc.constantFrom('0', '0.3', '0.5', '1'),
    fixed: fc.constantFrom('0', '5', '12.5'),
    feeRate: fc.constantFrom('0', '0.01', '0.05'),
    cap: fc.constantFrom('0', '0.24', '0.36', '1'),
    mode: fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const)
  }).map(({ markup, fixed, feeRate, cap, mode }): Policy => ({
    ...standardPolicy,
    roundingMode: mode,
    penalty: { graceDays: 3, penaltyMarkup: markup, lateFeeFixed: fixed, lateFeeRate: feeRate, annualCostCap: cap }
  }))
  fc.assert(fc.property(policyArb, fc.bigInt(0n, 10n ** 15n), fc.integer({ min: 0, max: 1000000 }), fc.integer({ min: 0, max: 3650 }), (policy, amount, rateMicros, days) => {
    const p = penaltyFor({ overdueAmount: amount, annualInterestRate: rational(BigInt(rateMicros), 1000000n), overdueDays: days, digits: 2 }, policy)
    const cap = p.cap ?? -1n
    return p.total >= 0n && p.total <= cap && p.total + p.capReduction === p.penaltyInterest + p.lateFee &&
      p.capApplied === (p.capReduction > 0n) && (days > 3 || p.total === 0n)
  }), { numRuns: 1000 })
})
