import t from 'tap'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'
import { policyProblems } from '../../src/domain/policy-problems.js'
import { compilePolicy, PolicyError } from '../../src/domain/compiled-policy.js'

function paths (p: Policy): string[] {
  return policyProblems(p).map(x => x.path)
}

t.test('the standard policy has no problems', async t => {
  t.same(policyProblems(standardPolicy), [])
})

t.test('the standard policy is the documented CNY default', async t => {
  t.equal(standardPolicy.currency, 'CNY')
  t.equal(standardPolicy.annualInterestRate, '0.12')
  t.same(standardPolicy.installment.termsMonths, [3, 6, 12, 24, 36])
  t.same(standardPolicy.settlement.discountByBucket, { 'M4+': '0.1' })
  t.equal(standardPolicy.penalty.annualCostCap, '0.24')
})

t.test('flags terms beyond the maximum term and out-of-range limits', async t => {
  const p: Policy = { ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [3, 0, 72, 3, 1.5], maxTermMonths: 60 } }
  t.same(paths(p), ['/installment/termsMonths/1', '/installment/termsMonths/2', '/installment/termsMonths/3', '/installment/termsMonths/4'])
  t.same(paths({ ...standardPolicy, installment: { ...standardPolicy.installment, maxTermMonths: 121 } }), ['/installment/maxTermMonths'])
  t.same(paths({ ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [120], maxTermMonths: 120 }, deferral: { ...standardPolicy.deferral } }), [])
  t.same(paths({ ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [] } }), ['/installment/termsMonths'])
})

t.test('flags empty, unknown and duplicated methods', async t => {
  const inst = standardPolicy.installment
  t.same(paths({ ...standardPolicy, installment: { ...inst, methods: [] } }), ['/installment/methods'])
  t.same(paths({ ...standardPolicy, installment: { ...inst, methods: ['annuity', 'balloon' as 'annuity', 'annuity'] } }), ['/installment/methods/1', '/installment/methods/2'])
})

t.test('requires shares and waivers between 0 and 1 and well-formed decimals', async t => {
  const p: Policy = {
    ...standardPolicy,
    annualInterestRate: '1.5',
    penalty: { ...standardPolicy.penalty, penaltyMarkup: '-0.3', lateFeeRate: '1e-2', annualCostCap: '1.01' },
    installment: { ...standardPolicy.installment, penaltyWaiver: '1.1' },
    deferral: { ...standardPolicy.deferral, penaltyWaiver: 'half' },
    settlement: { ...standardPolicy.settlement, penaltyWaiver: '2', discountByBucket: { M3: '0.2', 'M4+': '1.5', 'X/~': '0.1' } },
    affordability: { maxShareOfDisposableIncome: '1.0001' }
  }
  t.same(paths(p), [
    '/annualInterestRate',
    '/penalty/penaltyMarkup',
    '/penalty/lateFeeRate',
    '/penalty/annualCostCap',
    '/installment/penaltyWaiver',
    '/deferral/penaltyWaiver',
    '/settlement/penaltyWaiver',
    '/settlement/discountByBucket/M4+',
    '/settlement/discountByBucket/X~1~0',
    '/affordability/maxShareOfDisposableIncome'
  ])
  t.same(paths({ ...standardPolicy, penalty: { ...standardPolicy.penalty, annualCostCap: null, penaltyMarkup: '2.5' } }), [], 'no cap and markups above 1 are fine')
})

t.test('flags unknown currency, rounding mode and day count', async t => {
  const p = { ...standardPolicy, currency: 'XYZ', roundingMode: 'DOWN', dayCount: 'ACT/360' } as unknown as Policy
  t.same(paths(p), ['/currency', '/roundingMode', '/dayCount'])
})

t.test('requires the fixed late fee to be a money amount in the policy currency', async t => {
  const jpy: Policy = { ...standardPolicy, currency: 'JPY', penalty: { ...standardPolicy.penalty, lateFeeFixed: '50.5' } }
  const problems = policyProblems(jpy)
  t.same(problems.map(p => p.path), ['/penalty/lateFeeFixed'])
  t.match(problems[0]?.message, /JPY/)
  t.same(paths({ ...standardPolicy, penalty: { ...standardPolicy.penalty, lateFeeFixed: '-5' } }), ['/penalty/lateFeeFixed'])
})

t.test('requires contiguous buckets from 0 days with an open-ended last bucket', async t => {
  const b = standardPolicy.buckets
  t.same(paths({ ...standardPolicy, buckets: [] }), ['/buckets', '/settlement/discountByBucket/M4+'], 'discounts must name a bucket')
  t.same(paths({ ...standardPolicy, buckets: [{ name: 'M4+', minDays: 1, maxDays: null }] }), ['/buckets/0/minDays'])
  t.same(paths({ ...standardPolicy, buckets: [b[0], { ...b[1], minDays: 2 }, ...b.slice(2)] as typeof b }), ['/buckets/1/minDays'])
  t.same(paths({ ...standardPolicy, buckets: [...b.slice(0, 4), { ...b[4], maxDays: 400 }] as typeof b }), ['/buckets/4/maxDays'])
  t.same(paths({ ...standardPolicy, buckets: [b[0], { ...b[1], maxDays: null }, ...b.slice(2)] as typeof b }), ['/buckets/1/maxDays', '/buckets/2/minDays'])
  t.same(paths({ ...standardPolicy, buckets: [b[0], { ...b[1], maxDays: 0 }, ...b.slice(2)] as typeof b }), ['/buckets/1/maxDays', '/buckets/2/minDays'])
  t.same(paths({ ...standardPolicy, buckets: [b[0], { ...b[1], name: 'M0' }, { ...b[2], name: '' }, ...b.slice(3)] as typeof b }), ['/buckets/1/name', '/buckets/2/name'])
})

t.test('checks holiday, repayment, window and validity ranges', async t => {
  const p: Policy = {
    ...standardPolicy,
    penalty: { ...standardPolicy.penalty, graceDays: -1 },
    installment: { ...standardPolicy.installment, termsMonths: [3], maxTermMonths: 12 },
    deferral: { ...standardPolicy.deferral, holidayMonths: [0, 25, 3, 3], maxOverdueDays: 4000, repaymentMonths: 13 },
    settlement: { ...standardPolicy.settlement, windowDays: 0 },
    quoteValidityDays: 91
  }
  t.same(paths(p), [
    '/penalty/graceDays',
    '/deferral/holidayMonths/0',
    '/deferral/holidayMonths/1',
    '/deferral/holidayMonths/3',
    '/deferral/maxOverdueDays',
    '/deferral/repaymentMonths',
    '/settlement/windowDays',
    '/quoteValidityDays'
  ])
  t.same(paths({ ...standardPolicy, deferral: { ...standardPolicy.deferral, holidayMonths: [] } }), [], 'a policy may offer no holidays')
})

t.test('compiling an invalid policy throws a PolicyError listing the problems', async t => {
  const bad: Policy = { ...standardPolicy, quoteValidityDays: 0 }
  t.throws(() => compilePolicy(bad), PolicyError)
  try {
    compilePolicy(bad)
  } catch (e) {
    t.same((e as PolicyError).problems.map(p => p.path), ['/quoteValidityDays'])
    t.match((e as Error).message, /quoteValidityDays/)
  }
  t.equal(compilePolicy(standardPolicy), compilePolicy(standardPolicy), 'compiled once and cached')
})

t.test('compiled late fees are parsed per currency precision and cached', async t => {
  const c = compilePolicy({ ...standardPolicy, penalty: { ...standardPolicy.penalty, lateFeeFixed: '5.50' } })
  t.equal(c.lateFeeFixed(2), 550n)
  t.equal(c.lateFeeFixed(2), 550n)
  t.equal(c.lateFeeFixed(3), 5500n)
  t.equal(c.lateFeeFixed(0), null)
})
