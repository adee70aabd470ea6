import pg from 'pg'
import t from 'tap'
import { createTenant } from '../../src/db/tenants-repository.js'
import { testDatabase } from '../helpers/database.js'
import { eventually } from '../helpers/eventually.js'
import { freePort } from '../helpers/ports.js'
import { startServer, waitFor, type ServerProcess } from '../helpers/process.js'
import { loanRequest } from '../helpers/quotes.js'
import { DELIVERING_ENV, receiver } from '../helpers/webhooks.js'
import type { TapTest } from '../helpers/tap.js'

// Real server processes (node dist/server.js) on one database, delivering to a receiver on 127.0.0.1.

async function call (server: ServerProcess, apiKey: string, method: string, path: string, body?: object, extra: Record<string, string> = {}): Promise<any> {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return await res.json()
}

async function acceptVia (server: ServerProcess, apiKey: string, loanId: string): Promise<string> {
  const quote = await call(server, apiKey, 'POST', '/v1/quotes', loanRequest(loanId))
  return (await call(server, apiKey, 'POST', '/v1/plans', { quoteId: quote.id, optionId: 'settlement' }, { 'idempotency-key': `k-${loanId}` })).id
}

async function setUp (t: TapTest) {
  const database = await testDatabase(t)
  const pool = new pg.Pool({ connectionString: database.url, max: 2 })
  t.teardown(async () => { await pool.end() })
  const { apiKey } = await createTenant(pool, 'replicas')
  const start = async (env: Record<string, string> = {}): Promise<ServerProcess> => {
    const server = startServer(await freePort(), { DATABASE_URL: database.url, LOG_LEVEL: 'warn', ...DELIVERING_ENV, WEBHOOK_POLL_INTERVAL_MS: '20', ...env })
    t.teardown(async () => { await server.stop('SIGKILL') })
    if (!await waitFor(server, '/health/ready')) throw new Error(server.output())
    return server
  }
  return { pool, apiKey, start }
}
t.test('two server processes deliver one stream: every event arrives, no attempt is sent twice', async (t) => {
  const { pool, apiKey, start } = await setUp(t)
  // Every event's first attempt fails, so retries are claimed by either replica too.
  const rx = await receiver(t, (r, all) => all.filter((x) => x.id === r.id).length === 1 ? 500 : 200)
  const [a, b] = await Promise.all([start(), start()])
  await call(a!, apiKey, 'POST', '/v1/webhook-endpoints', { url: rx.url, eventTypes: ['plan.accepted', 'plan.cancelled'] })
  const plans: string[] = []
  for (let i = 0; i < 20; i++) plans.push(await acceptVia(i % 2 === 0 ? a! : b!, apiKey, `LN-R-${i}`))
  await Promise.all(plans.map(async (id, i) => await call(i % 2 === 0 ? b! : a!, apiKey, 'POST', `/v1/plans/${id}/cancel`, { reason: 'stream' })))

  const delivered = async () => (await pool.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'")).rows[0].n as number
  t.ok(await eventually(async () => await delivered() === 40, 30000), `every event delivered (${await delivered()} of 40)`)
  const perId = new Map<string, number>()
  for (const r of rx.received) perId.set(r.id, (perId.get(r.id) ?? 0) + 1)
  t.equal(perId.size, 40, 'forty events arrived')
  t.ok([...perId.values()].every((n) => n === 2), 'each exactly twice: its failed first attempt and its second')
  const { rows } = await pool.query('SELECT count(*)::int AS n, count(DISTINCT (delivery_id, attempt))::int AS distinct FROM webhook_attempts')
  t.same(rows[0], { n: 80, distinct: 80 }, 'eighty attempts recorded, each once')
  for (const plan of plans) {
    const order = rx.received.filter((r) => r.event.data.plan.id === plan).map((r) => r.event.type)
    t.same(order, ['plan.accepted', 'plan.accepted', 'plan.cancelled', 'plan.cancelled'], `plan ${plan.slice(0, 8)}: in order`)
  }
})

t.test('a server killed with SIGKILL mid-delivery: after a restart the event still arrives', async (t) => {
  const { pool, apiKey, start } = await setUp(t)
  const rx = await receiver(t, (_r, all) => all.length === 1 ? 'hold' : 200)
  const env = { WEBHOOK_TIMEOUT_MS: '1000' }
  const first = await start(env)
  const endpoint = await call(first, apiKey, 'POST', '/v1/webhook-endpoints', { url: rx.url, eventTypes: ['plan.accepted'] })
  await acceptVia(first, apiKey, 'LN-KILL')
  t.ok(await eventually(async () => rx.received.length === 1, 10000), 'the first attempt is in flight')
  await first.stop('SIGKILL')
  const second = await start(env)
  t.ok(await eventually(async () => rx.received.length >= 2, 20000), 'the restarted server sends it again once the lease has expired')
  t.equal(rx.received[1]!.id, rx.received[0]!.id, 'the same webhook-id: the receiver can deduplicate')
  t.ok(await eventually(async () => (await call(second, apiKey, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).items[0].status === 'delivered'), 'delivered')
  const { rows } = await pool.query('SELECT attempts FROM webhook_deliveries')
  t.same(rows, [{ attempts: 2 }])
})

t.test('on DATABASE_URL without WEBHOOK_ENCRYPTION_KEY: webhooks are off, and a start is refused once endpoints are stored', async (t) => {
  const { pool, apiKey } = await setUp(t)
  const database = (pool as unknown as { options: { connectionString: string } }).options.connectionString
  const off = startServer(await freePort(), { DATABASE_URL: database, LOG_LEVEL: 'warn' })
  t.teardown(async () => { await off.stop('SIGKILL') })
  t.ok(await waitFor(off, '/health/ready'), off.output())
  t.match(off.output(), /webhooks are off: WEBHOOK_ENCRYPTION_KEY is unset/)
  const res = await fetch(`${off.baseUrl}/v1/webhook-endpoints`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://lender.example/hooks', eventTypes: ['plan.accepted'] }) })
  t.equal(res.status, 503)
  t.equal(((await res.json()) as { type: string }).type, '/problems/webhooks-not-configured')
  await off.stop()

  await pool.query("INSERT INTO webhook_endpoints (tenant_id, url, event_types, secret) SELECT tenant_id, 'https://lender.example/hooks', '{plan.accepted}', '\\x00' FROM tenants")
  const refused = startServer(await freePort(), { DATABASE_URL: database, LOG_LEVEL: 'warn' })
  t.teardown(async () => { await refused.stop('SIGKILL') })
  t.equal(await refused.exited, 1, 'the start is refused')
  t.match(refused.output(), /WEBHOOK_ENCRYPTION_KEY is unset but 1 webhook endpoint\(s\) are stored/)
})
