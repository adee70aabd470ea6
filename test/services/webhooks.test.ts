import { createHmac } from 'node:crypto'
import { Writable } from 'node:stream'
import t from 'tap'
import { pino } from 'pino'
import { Webhook } from 'standardwebhooks'
import { loggerOptions } from '../../src/http/server-options.js'
import { buildTestApp } from '../helpers/app.js'
import { eventually } from '../helpers/eventually.js'
import { acceptPlan, cancelPlan, createEndpoint, DELIVERING_ENV, receiver, type Received } from '../helpers/webhooks.js'

const headersOf = (r: Received, signature = r.signature) => ({ 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': signature })

t.test('a receiver failing three attempts then answering 2xx gets one event four times, same webhook-id, every signature valid', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: DELIVERING_ENV })
  const { headers } = await tenant()
  const rx = await receiver(t, (_r, all) => all.length <= 3 ? 500 : 204)
  const endpoint = await createEndpoint(app, headers, rx.url, ['plan.accepted'])
  const planId = await acceptPlan(app, headers)

  t.ok(await eventually(async () => rx.received.length >= 4, 10000), 'four attempts arrived')
  t.equal(new Set(rx.received.map((r) => r.id)).size, 1, 'one webhook-id')
  t.match(rx.received[0]!.event, { type: 'plan.accepted', data: { plan: { id: planId } } })
  t.same(Object.keys(rx.received[0]!.event), ['id', 'type', 'createdAt', 'data'], "the body is the event's wire shape")
  t.equal(rx.received[0]!.event.id, rx.received[0]!.id, 'webhook-id is the event id')
  const verifier = new Webhook(endpoint.secret)
  for (const r of rx.received) t.doesNotThrow(() => verifier.verify(r.body, headersOf(r)), 'standardwebhooks verifies the signature')

  let deliveries: any[] = []
  t.ok(await eventually(async () => {
    deliveries = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items
    return deliveries[0]?.status === 'delivered'
  }), 'the delivery is recorded as delivered')
  t.match(deliveries[0], { status: 'delivered', attempts: 4, lastResponseStatus: 204, lastError: null, eventId: rx.received[0]!.id, nextAttemptAt: null })
  const { rows } = await pool.query('SELECT attempt, response_status FROM webhook_attempts ORDER BY attempt')
  t.same(rows, [{ attempt: 1, response_status: 500 }, { attempt: 2, response_status: 500 }, { attempt: 3, response_status: 500 }, { attempt: 4, response_status: 204 }], 'every attempt recorded')
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.equal(rx.received.length, 4, 'nothing is sent after the 2xx')
})

t.test('a receiver that does not answer within WEBHOOK_TIMEOUT_MS is retried', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { ...DELIVERING_ENV, WEBHOOK_TIMEOUT_MS: '300' } })
  const { headers } = await tenant()
  const rx = await receiver(t, (_r, all) => all.length === 1 ? 'hold' : 200)
  const endpoint = await createEndpoint(app, headers, rx.url, ['plan.accepted'])
  await acceptPlan(app, headers)
  let delivery: any
  t.ok(await eventually(async () => {
    delivery = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items[0]
    return delivery?.status === 'delivered'
  }, 10000), 'delivered on a later attempt')
  t.equal(delivery.attempts, 2)
  t.equal(rx.received.length, 2)
  t.equal(rx.received[0]!.id, rx.received[1]!.id, 'the same webhook-id')
})

t.test('410 Gone disables the endpoint and stops its deliveries; the retry route resends and enables it again', async (t) => {
  let gone = true
  const { app, tenant, pool } = await buildTestApp(t, { env: DELIVERING_ENV })
  const { headers } = await tenant()
  const rx = await receiver(t, () => gone ? 410 : 200)
  const endpoint = await createEndpoint(app, headers, rx.url, ['plan.accepted', 'plan.cancelled'])
  const planId = await acceptPlan(app, headers)
  t.ok(await eventually(async () => (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers })).json().status === 'disabled'), 'disabled')
  t.match((await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers })).json(), { status: 'disabled', disabledReason: /410/ })
  await cancelPlan(app, headers, planId)
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.equal(rx.received.length, 1, 'nothing more is sent to a disabled endpoint')
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM webhook_deliveries')
  t.equal(rows[0].n, 1, 'a disabled endpoint gets no new deliveries')
  const first = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items[0]
  t.match(first, { status: 'failed', attempts: 1, lastResponseStatus: 410 })

  gone = false
  const retried = await app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.id}/deliveries/${first.id}/retry`, headers })
  t.equal(retried.statusCode, 200)
  t.match(retried.json(), { id: first.id, status: 'pending' })
  t.ok(await eventually(async () => (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items[0].status === 'delivered'), 'the retried delivery arrives')
  t.equal((await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers })).json().status, 'enabled', 'the endpoint is enabled again')
  t.equal(rx.received.length, 2)
  t.equal(rx.received[1]!.id, rx.received[0]!.id, 'the same event, the same webhook-id')
})

t.test("a plan's later event waits while its earlier one is retried; other plans' events flow meanwhile", async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { ...DELIVERING_ENV, WEBHOOK_RETRY_SCHEDULE_MS: Array(40).fill('20').join(',') } })
  const { headers } = await tenant()
  let slowPlan = ''
  let otherPlan = ''
  const rx = await receiver(t, (r, all) => {
    // The slow plan's acceptance fails until the other plan's acceptance has arrived.
    if (r.event.data.plan.id === slowPlan && r.event.type === 'plan.accepted') {
      return all.some((x) => x.event.data.plan.id === otherPlan) ? 200 : 503
    }
    return 200
  })
  const endpoint = await createEndpoint(app, headers, rx.url)
  slowPlan = await acceptPlan(app, headers)
  await cancelPlan(app, headers, slowPlan)
  t.ok(await eventually(async () => rx.received.length >= 2), 'the slow plan is being retried')
  otherPlan = await acceptPlan(app, headers)
  t.ok(await eventually(async () => {
    const items = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items
    return items.length === 3 && items.every((d: { status: string }) => d.status === 'delivered')
  }, 10000), 'every event delivered')
  const order = rx.received.map((r) => `${r.event.data.plan.id === slowPlan ? 'slow' : 'other'} ${r.event.type}`)
  const slowAccepted = order.lastIndexOf('slow plan.accepted')
  t.ok(order.indexOf('other plan.accepted') < slowAccepted, "the other plan's event arrived while the slow one was retried")
  t.equal(order.indexOf('slow plan.cancelled'), slowAccepted + 1, "the slow plan's cancellation came only after its acceptance was delivered")
  t.equal(order.filter((o) => o === 'slow plan.cancelled').length, 1)
})

t.test('after rotate-secret both secrets sign, each signature verifiable by its own secret', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: DELIVERING_ENV })
  const { headers } = await tenant()
  const rx = await receiver(t)
  const endpoint = await createEndpoint(app, headers, rx.url, ['plan.accepted'])
  const rotated = await app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, headers })
  t.equal(rotated.statusCode, 200)
  const newSecret = rotated.json().secret as string
  t.match(newSecret, /^whsec_[A-Za-z0-9+/]{43}=$/)
  t.not(newSecret, endpoint.secret)
  t.ok(Date.parse(rotated.json().previousSecretExpiresAt) > Date.now() + 23 * 3600_000, 'the old secret signs for 24 hours more')
  await acceptPlan(app, headers)
  t.ok(await eventually(async () => rx.received.length === 1))
  const r = rx.received[0]!
  const signatures = r.signature.split(' ')
  t.equal(signatures.length, 2, 'two signatures, space-separated')
  t.doesNotThrow(() => new Webhook(newSecret).verify(r.body, headersOf(r, signatures[0])), 'the first under the new secret')
  t.doesNotThrow(() => new Webhook(endpoint.secret).verify(r.body, headersOf(r, signatures[1])), 'the second under the old one')
  t.throws(() => new Webhook(endpoint.secret).verify(r.body, headersOf(r, signatures[0])), 'and not the other way round')
  // The same check written from the spec with node:crypto.
  const expected = 'v1,' + createHmac('sha256', Buffer.from(newSecret.slice(6), 'base64')).update(`${r.id}.${r.timestamp}.${r.body}`).digest('base64')
  t.equal(signatures[0], expected)
})

t.test('secrets appear only in the creation and rotation answers: not in reads, not in logs, not in the database in clear', async (t) => {
  const lines: string[] = []
  const sink = new Writable({ write (chunk, _encoding, done) { lines.push(chunk.toString()); done() } })
  const logger = pino(loggerOptions('trace') as pino.LoggerOptions, sink)
  const { app, tenant, pool } = await buildTestApp(t, { env: { ...DELIVERING_ENV, LOG_LEVEL: 'trace', WEBHOOK_RETRY_SCHEDULE_MS: '20' }, logger })
  const { headers } = await tenant()
  const rx = await receiver(t, (_r, all) => all.length === 1 ? 410 : 200)
  const endpoint = await createEndpoint(app, headers, rx.url, ['plan.accepted'])
  const rotated = (await app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, headers })).json().secret as string
  await acceptPlan(app, headers)
  t.ok(await eventually(async () => rx.received.length === 1))
  const reads = [
    await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers }),
    await app.inject({ url: '/v1/webhook-endpoints', headers }),
    await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })
  ]
  for (const read of reads) {
    t.equal(read.statusCode, 200)
    t.notOk(read.body.includes('whsec_') || read.body.includes('"secret"'), 'no secret in a read')
  }
  const { rows } = await pool.query("SELECT encode(secret, 'escape') || encode(previous_secret, 'escape') AS stored FROM webhook_endpoints")
  for (const s of [endpoint.secret, rotated]) t.notOk(rows[0].stored.includes(s.slice(6, 20)), 'stored encrypted')
  const log = lines.join('')
  t.ok(log.length > 1000, 'there are logs to look at')
  for (const s of [endpoint.secret, rotated]) {
    t.notOk(log.includes(s), 'no secret in the logs')
    t.notOk(log.includes(s.slice(6)), 'not even its base64 part')
  }
  t.notOk(log.includes('receiver body'), "no receiver's answer in the logs")
  t.ok(log.includes('410 Gone'), 'the 410 was logged')
})

t.test('endpoint URLs: refused unless https, without credentials, not a private address; the field is named', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { WEBHOOK_ENCRYPTION_KEY: DELIVERING_ENV.WEBHOOK_ENCRYPTION_KEY } })
  const { headers } = await tenant()
  const refused = ['http://lender.example/hooks', 'https://user:pw@lender.example/hooks', 'https://127.0.0.1/hooks', 'https://10.0.0.8/hooks',
    'https://169.254.169.254/latest/meta-data', 'https://100.64.0.1/', 'https://[::1]/hooks', 'https://[fd00::1]/', 'https://[::ffff:127.0.0.1]/',
    'https://2130706433/', 'https://localhost/hooks', 'ftp://lender.example/', 'not a url', `https://lender.example/${'a'.repeat(2100)}`]
  for (const url of refused) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url, eventTypes: ['plan.accepted'] } })
    t.equal(res.statusCode, 400, url.slice(0, 60))
    t.equal(res.json().errors?.[0]?.path, '/body/url', `${url.slice(0, 60)}: names the field`)
  }
  const badType = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url: 'https://lender.example/hooks', eventTypes: ['plan.nope'] } })
  t.equal(badType.statusCode, 400)
  t.match(badType.json().errors[0].path, /^\/body\/eventTypes/)
  const ok = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url: 'https://lender.example/hooks', eventTypes: ['plan.accepted'] } })
  t.equal(ok.statusCode, 201)
  t.equal(ok.headers.location, `/v1/webhook-endpoints/${ok.json().id}`)
  t.same(Object.keys(ok.json()), ['id', 'url', 'description', 'eventTypes', 'status', 'disabledReason', 'previousSecretExpiresAt', 'createdAt', 'secret'])
})

t.test('at send time, a host that is private is refused unless allowed, even when the endpoint was accepted', async (t) => {
  // One app (private networks allowed, no worker) registers the endpoint; another on the same data delivers with the default rules.
  const registrar = await buildTestApp(t, { env: { ...DELIVERING_ENV, WEBHOOK_POLL_INTERVAL_MS: '0' } })
  await buildTestApp(t, { database: registrar.database, env: { ...DELIVERING_ENV, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', WEBHOOK_RETRY_SCHEDULE_MS: '20' } })
  const { headers } = await registrar.tenant()
  const rx = await receiver(t)
  const endpoint = await createEndpoint(registrar.app, headers, rx.url.replace('127.0.0.1', 'localhost'), ['plan.accepted'])
  await acceptPlan(registrar.app, headers)
  let delivery: any
  t.ok(await eventually(async () => {
    delivery = (await registrar.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items[0]
    return delivery?.status === 'failed'
  }, 5000), 'given up')
  t.match(delivery, { attempts: 2, lastResponseStatus: null, lastError: /private, loopback/ })
  t.equal(rx.received.length, 0, 'nothing reached the receiver')
})

t.test('listing is keyset-paginated; delete gives up pending deliveries and the endpoint is gone', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { WEBHOOK_ENCRYPTION_KEY: DELIVERING_ENV.WEBHOOK_ENCRYPTION_KEY } })
  const { headers } = await tenant()
  const ids: string[] = []
  for (let i = 0; i < 5; i++) ids.push((await createEndpoint(app, headers, `https://lender.example/hooks/${i}`, ['plan.accepted'])).id)
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: any = (await app.inject({ url: `/v1/webhook-endpoints?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, headers })).json()
    seen.push(...page.items.map((e: { id: string }) => e.id))
    cursor = page.nextCursor
  } while (cursor !== null)
  t.same(seen.sort(), [...ids].sort(), 'every endpoint once')
  t.equal((await app.inject({ url: '/v1/webhook-endpoints?cursor=forged', headers })).json().type, '/problems/invalid-cursor')
  await acceptPlan(app, headers)
  const deliveries = (await app.inject({ url: `/v1/webhook-endpoints/${ids[0]}/deliveries`, headers })).json().items
  t.match(deliveries, [{ status: 'pending', attempts: 0, eventType: 'plan.accepted' }])
  await acceptPlan(app, headers)
  const firstPage = (await app.inject({ url: `/v1/webhook-endpoints/${ids[0]}/deliveries?limit=1`, headers })).json()
  const secondPage = (await app.inject({ url: `/v1/webhook-endpoints/${ids[0]}/deliveries?limit=1&cursor=${firstPage.nextCursor}`, headers })).json()
  t.equal(secondPage.items[0].id, deliveries[0].id, 'deliveries are keyset-paginated, newest event first')
  t.equal(secondPage.nextCursor, null)
  t.equal((await app.inject({ url: `/v1/webhook-endpoints/${ids[0]}/deliveries?cursor=forged`, headers })).json().type, '/problems/invalid-cursor')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${ids[0]}`, headers })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/webhook-endpoints/${ids[0]}`, headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${ids[0]}`, headers })).statusCode, 404, 'deleting twice: 404')
  t.equal((await app.inject({ url: `/v1/webhook-endpoints/${ids[0]}/deliveries`, headers })).statusCode, 404)
})

t.test('closing the app stops claiming but lets the attempt in flight finish and record', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { ...DELIVERING_ENV, SHUTDOWN_GRACE_MS: '5000' } })
  const { headers } = await tenant()
  const rx = await receiver(t, () => 'hold')
  await createEndpoint(app, headers, rx.url, ['plan.accepted', 'plan.cancelled'])
  await acceptPlan(app, headers)
  t.ok(await eventually(async () => rx.held.length === 1), 'an attempt is in flight')
  const closed = app.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
  rx.held[0]!.writeHead(200).end()
  await closed
  const { rows } = await pool.query('SELECT status, attempts FROM webhook_deliveries')
  t.same(rows, [{ status: 'delivered', attempts: 1 }], 'the attempt in flight was finished and recorded')
  t.equal(rx.received.length, 1)
})

t.test('attempts are counted by outcome and delivery lag is observed', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: DELIVERING_ENV })
  const { headers } = await tenant()
  const rx = await receiver(t, (_r, all) => all.length === 1 ? 502 : 200)
  const endpoint = await createEndpoint(app, headers, rx.url, ['plan.accepted'])
  await acceptPlan(app, headers)
  t.ok(await eventually(async () => (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers })).json().items[0]?.status === 'delivered'))
  const text = await app.metrics.registry.metrics()
  t.match(text, /webhook_delivery_attempts_total\{outcome="retry"\} 1/)
  t.match(text, /webhook_delivery_attempts_total\{outcome="delivered"\} 1/)
  t.match(text, /webhook_delivery_lag_seconds_count 1/)
})
