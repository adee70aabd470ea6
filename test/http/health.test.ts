import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

t.test('liveness answers without touching the database', async (t) => {
  const { app, pool } = await buildTestApp(t)
  await pool.end() // the database is gone for this app
  const res = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  t.match(ready.headers['content-type'], /^application\/problem\+json/)
  t.equal(ready.headers['retry-after'], '1')
})

t.test('readiness is 200 while the database answers', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('echoes a caller-supplied request id and makes one up otherwise', async (t) => {
  const { app } = await buildTestApp(t)
  const given = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'lender-trace-42' } })
  t.equal(given.headers['x-request-id'], 'lender-trace-42')
  const made = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id with spaces' } })
  t.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})
