import t from 'tap'
import { installmentOptions } from '../../src/domain/installment-options.js'
import type { OptionContext } from '../../src/domain/options.js'
import { compilePolicy } from '../../src/domain/compiled-policy.js'
import { standardPolicy } from '../../src/domain/policy.js'
import { penaltyFor } from '../../src/domain/penalty.js'
import { affordabilityFor } from '../../src/domain/affordability.js'
import { rational } from '../../src/domain/decimal.js'

t.test('skips terms beyond the maximum term even if a policy slipped past validation', async t => {
  const compiled = compilePolicy(standardPolicy)
  const ctx: OptionContext = {
    asOf: '2026-01-01',
    currency: 'CNY',
    digits: 2,
    roundingMode: 'HALF_UP',
    dayCount: '30/360',
    annualRate: rational(3n, 25n),
    balance: 100000n,
    overdueDays: 0,
    bucket: 'M0',
    penalty: penaltyFor({ overdueAmount: 100000n, annualInterestRate: rational(3n, 25n), overdueDays: 0, digits: 2 }, standardPolicy),
    totalDue: 100000n,
    affordability: affordabilityFor(500000n, 0n, rational(1n, 2n), 'HALF_UP'),
    availableFunds: null,
    policy: { ...compiled, source: { ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [12, 72] } } }
  }
  const set = installmentOptions(ctx)
  t.same(set.options.map(o => o.id), ['installment-annuity-12'])
  t.same(set.rejected, [{ id: 'installment-annuity-72', type: 'installment', reason: 'A 72-month plan is longer than the 60-month maximum.' }])
})
