import t from 'tap'
import { withTransaction, MAX_ATTEMPTS } from '../../src/db/transaction.js'
import { buildTestApp } from '../helpers/app.js'

t.test('serialization failures and deadlocks are retried, a bounded number of times', async (t) => {
  const { pool } = await buildTestApp(t)
  let calls = 0
  const result = await withTransaction(pool, async (client) => {
    calls++
    await client.query('CREATE TEMP TABLE IF NOT EXISTS probe (n int)')
    if (calls < 3) throw Object.assign(new Error('could not serialize access'), { code: calls === 1 ? '40001' : '40P01' })
    return 'done'
  })
  t.equal(result, 'done')
  t.equal(calls, 3)
  let forever = 0
  await t.rejects(withTransaction(pool, async () => { forever++; throw Object.assign(new Error('conflict'), { code: '40001' }) }), { code: '40001' })
  t.equal(forever, MAX_ATTEMPTS, 'gives up after MAX_ATTEMPTS')
  let once = 0
  await t.rejects(withTransaction(pool, async () => { once++; throw Object.assign(new Error('unique'), { code: '23505' }) }), { code: '23505' })
  t.equal(once, 1, 'other errors are not retried')
})

t.test('work that fails is rolled back', async (t) => {
  const { pool, tenant } = await buildTestApp(t)
  const { tenantId } = await tenant()
  await t.rejects(withTransaction(pool, async (client) => {
    await client.query("INSERT INTO policies (tenant_id, name, version, body) VALUES ($1, 'p', 1, '{}')", [tenantId])
    throw new Error('boom')
  }))
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM policies')
  t.equal(rows[0].n, 0)
})
