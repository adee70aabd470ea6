import t from 'tap'
import { delinquencyBucket } from '../../src/domain/delinquency.js'
import { standardPolicy } from '../../src/domain/policy.js'

t.test('places overdue days in the standard DPD buckets', async t => {
  const b = standardPolicy.buckets
  const cases: Array<[number, string]> = [[0, 'M0'], [1, 'M1'], [30, 'M1'], [31, 'M2'], [60, 'M2'], [61, 'M3'], [90, 'M3'], [91, 'M4+'], [3650, 'M4+']]
  for (const [days, name] of cases) t.equal(delinquencyBucket(days, b), name, `${days} days`)
})

t.test('throws when no bucket covers the days', async t => {
  t.throws(() => delinquencyBucket(5, [{ name: 'M0', minDays: 0, maxDays: 0 }]), RangeError)
})
