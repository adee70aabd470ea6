import t from 'tap'
import { retrying, MAX_ATTEMPTS } from '../../src/db/retry.js'

t.test('serialization failures and deadlocks are retried, a bounded number of times', async (t) => {
  let calls = 0
  const result = await retrying(async () => {
    calls++
    if (calls < 3) throw Object.assign(new Error('could not serialize access'), { code: calls === 1 ? '40001' : '40P01' })
    return 'done'
  })
  t.equal(result, 'done')
  t.equal(calls, 3)
  let forever = 0
  await t.rejects(retrying(async () => { forever++; throw Object.assign(new Error('conflict'), { code: '40001' }) }), { code: '40001' })
  t.equal(forever, MAX_ATTEMPTS, 'gives up after MAX_ATTEMPTS')
  let once = 0
  await t.rejects(retrying(async () => { once++; throw Object.assign(new Error('unique'), { code: '23505' }) }), { code: '23505' })
  t.equal(once, 1, 'other errors are not retried')
})
