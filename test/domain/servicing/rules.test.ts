import t from 'tap'
import { defaultServicingRules } from '../../../src/domain/servicing/rules.js'
import { servicingRulesProblems } from '../../../src/domain/servicing/rules-problems.js'
import type { ServicingRules } from '../../../src/domain/servicing/rules.js'

t.test('the defaults are the issue\'s: 5 grace days, one miss allowed, break after 60 days, no fee, penalty reinstated', async t => {
  t.same(defaultServicingRules, {
    graceDays: 5, allowedMissedInstallments: 1, breakAfterDaysPastDue: 60, lateInstallmentFee: '0', reinstateWaivedPenalty: true,
    allocationOrder: ['fees', 'interest', 'principal']
  })
  t.same(servicingRulesProblems(defaultServicingRules, 2), [])
  t.same(servicingRulesProblems({ ...defaultServicingRules, allocationOrder: ['principal', 'fees', 'interest'] }, 0), [], 'any permutation')
})

t.test('reports each bad field with its JSON pointer', async t => {
  const bad = {
    graceDays: -1, allowedMissedInstallments: 1.5, breakAfterDaysPastDue: 4000, lateInstallmentFee: '1.005',
    reinstateWaivedPenalty: 'yes', allocationOrder: ['fees', 'fees', 'principal']
  } as unknown as ServicingRules
  t.same(servicingRulesProblems(bad, 2).map(p => p.path), [
    '/servicing/graceDays', '/servicing/allowedMissedInstallments', '/servicing/breakAfterDaysPastDue',
    '/servicing/lateInstallmentFee', '/servicing/reinstateWaivedPenalty', '/servicing/allocationOrder'
  ])
})

t.test('a fee must fit the currency and the break may not come before the miss', async t => {
  t.match(servicingRulesProblems({ ...defaultServicingRules, lateInstallmentFee: '10.5' }, 0), [{ path: '/servicing/lateInstallmentFee', message: /whole amount/ }])
  t.same(servicingRulesProblems({ ...defaultServicingRules, lateInstallmentFee: '10.500' }, 3), [])
  t.match(servicingRulesProblems({ ...defaultServicingRules, lateInstallmentFee: '-1' }, 2), [{ path: '/servicing/lateInstallmentFee' }])
  t.match(servicingRulesProblems({ ...defaultServicingRules, lateInstallmentFee: 5 as unknown as string }, 2), [{ path: '/servicing/lateInstallmentFee', message: /decimal string/ }])
  t.match(servicingRulesProblems({ ...defaultServicingRules, graceDays: 10, breakAfterDaysPastDue: 9 }, 2), [{ path: '/servicing/breakAfterDaysPastDue', message: /graceDays/ }])
  t.match(servicingRulesProblems({ ...defaultServicingRules, allocationOrder: ['fees', 'interest'] }, 2), [{ path: '/servicing/allocationOrder' }])
})
