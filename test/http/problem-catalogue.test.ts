import { PassThrough } from 'node:stream'
import type { Socket } from 'node:net'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { PROBLEM_KINDS, type ProblemCode } from '../../src/http/problems.js'
import { clientErrorHandler } from '../../src/http/client-errors.js'
import { requestHash } from '../../src/services/plans.js'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { createQuote, loanRequest } from '../helpers/quotes.js'
import type { TapTest } from '../helpers/tap.js'

// One test per problem type, driven by the catalogue (src/http/problems.ts): a kind added there
// without a trigger here fails the last test. Each trigger raises the problem the way a client
// would meet it and returns what was answered.

interface Answer { status: number, type: string, title: string, contentType: string }
type Trigger = (t: TapTest, env: Env) => Promise<Answer>
interface Env { app: FastifyInstance, headers: Record<string, string>, built: TestApp }

const answer = (res: { statusCode: number, headers: Record<string, unknown>, json: () => any }): Answer =>
  ({ status: res.statusCode, type: res.json().type, title: res.json().title, contentType: String(res.headers['content-type']) })

/** The text the parser-error handler writes on a socket for a given Node error code. */
async function clientError (app: FastifyInstance, code: string): Promise<Answer> {
  const socket = new PassThrough() as unknown as Socket & PassThrough
  let text = ''
  socket.on('data', (d: Buffer) => { text += d.toString() })
  Object.assign(socket, { destroySoon: () => {} })
  clientErrorHandler.call(app, Object.assign(new Error('client'), { code }), socket)
  await new Promise((resolve) => setImmediate(resolve))
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)![1]), type: body.type, title: body.title, contentType: /content-type: ([^\r]+)/.exec(text)![1]! }
}

const accept = (headers: Record<string, string>, key: string, payload: object) => ({ method: 'POST' as const, url: '/v1/plans', headers: { ...headers, 'idempotency-key': key }, payload })

const today = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const payment = (headers: Record<string, string>, planId: string, payload: object) => ({ method: 'POST' as const, url: `/v1/plans/${planId}/payments`, headers, payload })
async function acceptedPlan (app: FastifyInstance, headers: Record<string, string>, loanId: string): Promise<string> {
  const quote = await createQuote(app, headers, loanId)
  return (await app.inject(accept(headers, `cat-${loanId}`, { quoteId: quote.id, optionId: 'installment-annuity-3' }))).json().id
}

const triggers: Record<ProblemCode, Trigger> = {
  validation: async (_t, { app, headers }) => answer(await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: {} })),
  'invalid-policy': async (_t, { app, headers }) => {
    const rules = (await app.inject({ url: '/v1/policies/standard', headers })).json().rules
    return answer(await app.inject({ method: 'PUT', url: '/v1/policies/gaps', headers, payload: { ...rules, buckets: [{ name: 'late', minDays: 5, maxDays: null }] } }))
  },
  'invalid-cursor': async (_t, { app, headers }) => answer(await app.inject({ url: '/v1/plans?cursor=forged', headers })),
  'bad-request': async (_t, { app, headers }) => answer(await app.inject({ url: '/v1/quotes/%E0%A4%A', headers })),
  'malformed-json': async (_t, { app, headers }) => answer(await app.inject({ method: 'POST', url: '/v1/quotes', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"loan":' })),
  'credentials-in-query': async (_t, { app }) => answer(await app.inject({ url: '/v1/me?api_key=rpk_x' })),
  'uri-too-long': async (_t, { app, headers }) => answer(await app.inject({ url: `/v1/quotes/${'a'.repeat(501)}`, headers })),
  unauthorized: async (_t, { app }) => answer(await app.inject({ url: '/v1/me' })),
  'not-found': async (_t, { app, headers }) => answer(await app.inject({ url: '/v1/quotes/00000000-0000-4000-8000-000000000000', headers })),
  'method-not-allowed': async (_t, { app, headers }) => answer(await app.inject({ method: 'DELETE', url: '/v1/quotes', headers })),
  'request-timeout': async (_t, { app }) => await clientError(app, 'ERR_HTTP_REQUEST_TIMEOUT'),
  'active-plan-exists': async (_t, { app, headers }) => {
    const one = await createQuote(app, headers, 'LN-CAT-ACTIVE')
    const two = await createQuote(app, headers, 'LN-CAT-ACTIVE')
    await app.inject(accept(headers, 'cat-active-1', { quoteId: one.id, optionId: 'settlement' }))
    return answer(await app.inject(accept(headers, 'cat-active-2', { quoteId: two.id, optionId: 'settlement' })))
  },
  'idempotency-key-in-flight': async (_t, { built }) => {
    const { app, headers, tenantId } = await freshTenant(built)
    const quote = await createQuote(app, headers, 'LN-CAT-KEY')
    // The key claimed by a transaction that has not committed: the duplicate waits, then gives up.
    const other = await built.pool.connect()
    await other.query('BEGIN')
    const body = { quoteId: quote.id, optionId: 'settlement' }
    await other.query("INSERT INTO idempotency_keys (tenant_id, key, request_hash, outcome, response_body) VALUES ($1, 'cat-key', $2, 'unknown-option', '{}')", [tenantId, requestHash(body)])
    const res = await app.inject(accept(headers, 'cat-key', body))
    await other.query('ROLLBACK')
    other.release()
    return answer(res)
  },
  'loan-acceptance-in-flight': async (_t, { built }) => {
    const { app, headers, tenantId } = await freshTenant(built)
    const quote = await createQuote(app, headers, 'LN-CAT-BUSY')
    const other = await built.pool.connect()
    await other.query('BEGIN')
    await other.query(`INSERT INTO plans (tenant_id, loan_id, quote_id, option_id, option_type, currency, amount_financed, total_repayable,
      total_interest, penalty_waived, discount, capitalized_interest, max_payment, apr, policy_name, policy_version)
      VALUES ($1, 'LN-CAT-BUSY', $2, 'settlement', 'settlement', 'CNY', 1, 1, 0, 0, 0, 0, 1, '0', 'standard', 1)`, [tenantId, quote.id])
    const res = await app.inject(accept(headers, 'cat-busy', { quoteId: quote.id, optionId: 'settlement' }))
    await other.query('ROLLBACK')
    other.release()
    return answer(res)
  },
  'payment-reference-conflict': async (_t, { app, headers }) => {
    const plan = await acceptedPlan(app, headers, 'LN-CAT-REF')
    await app.inject(payment(headers, plan, { reference: 'CAT-REF', amount: '1.00', receivedOn: today() }))
    return answer(await app.inject(payment(headers, plan, { reference: 'CAT-REF', amount: '2.00', receivedOn: today() })))
  },
  'plan-not-active': async (_t, { app, headers }) => {
    const plan = await acceptedPlan(app, headers, 'LN-CAT-INACTIVE')
    await app.inject({ method: 'POST', url: `/v1/plans/${plan}/cancel`, headers, payload: { reason: 'test' } })
    return answer(await app.inject(payment(headers, plan, { reference: 'CAT-INACTIVE', amount: '1.00', receivedOn: today() })))
  },
  overpayment: async (_t, { app, headers }) => {
    const plan = await acceptedPlan(app, headers, 'LN-CAT-OVER')
    return answer(await app.inject(payment(headers, plan, { reference: 'CAT-OVER', amount: '999999999.00', receivedOn: today() })))
  },
  'received-on-out-of-range': async (_t, { app, headers }) => {
    const plan = await acceptedPlan(app, headers, 'LN-CAT-DATE')
    return answer(await app.inject(payment(headers, plan, { reference: 'CAT-DATE', amount: '1.00', receivedOn: '2999-01-01' })))
  },
  'quote-expired': async (_t, { app, headers, built }) => {
    const quote = await createQuote(app, headers, 'LN-CAT-EXP')
    await built.pool.query("UPDATE quotes SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE quote_id = $1", [quote.id])
    return answer(await app.inject(accept(headers, 'cat-exp', { quoteId: quote.id, optionId: 'settlement' })))
  },
  'payload-too-large': async (_t, { app, headers }) => answer(await app.inject({ method: 'POST', url: '/v1/quotes', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"x":"${'a'.repeat(70000)}"}` })),
  'unsupported-media-type': async (_t, { app, headers }) => answer(await app.inject({ method: 'POST', url: '/v1/quotes', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' })),
  'unknown-option': async (_t, { app, headers }) => {
    const quote = await createQuote(app, headers, 'LN-CAT-OPT')
    return answer(await app.inject(accept(headers, 'cat-opt', { quoteId: quote.id, optionId: 'nope' })))
  },
  'unknown-policy': async (_t, { app, headers }) => answer(await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { ...loanRequest('LN-CAT-POL'), policy: 'nope' } })),
  'schedule-in-past': async (_t, { app, headers }) => {
    const old = (await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { ...loanRequest('LN-CAT-OLD'), asOf: '2001-01-01' } })).json()
    return answer(await app.inject(accept(headers, 'cat-old', { quoteId: old.id, optionId: old.recommendedOptionId })))
  },
  'idempotency-key-reused': async (_t, { app, headers }) => {
    const quote = await createQuote(app, headers, 'LN-CAT-REUSE')
    await app.inject(accept(headers, 'cat-reuse', { quoteId: quote.id, optionId: 'settlement' }))
    return answer(await app.inject(accept(headers, 'cat-reuse', { quoteId: quote.id, optionId: 'settlement', note: 'other' })))
  },
  'rate-limited': async (t, { built }) => {
    const { app, headers } = await buildTestApp(t, { database: built.database, env: { RATE_LIMIT_PER_MINUTE: '1' } }).then(async (b) => ({ app: b.app, ...(await b.tenant()) }))
    await app.inject({ url: '/v1/me', headers })
    return answer(await app.inject({ url: '/v1/me', headers }))
  },
  'storage-quota-exceeded': async (t, { built }) => {
    const b = await buildTestApp(t, { database: built.database, env: { TENANT_STORAGE_QUOTA_ROWS: '1' } })
    const { headers } = await b.tenant()
    await createQuote(b.app, headers, 'LN-CAT-Q1')
    return answer(await b.app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest('LN-CAT-Q2') }))
  },
  'headers-too-large': async (_t, { app }) => await clientError(app, 'HPE_HEADER_OVERFLOW'),
  'service-unavailable': async (t, { built }) => {
    // A replica whose database is gone: readiness says so.
    const url = new URL(built.database.url)
    url.pathname = '/rp_no_such_database'
    const b = await buildTestApp(t, { database: { url: url.toString(), name: 'rp_no_such_database' } })
    return answer(await b.app.inject({ url: '/health/ready' }))
  },
  overloaded: async (t) => {
    const b = await buildTestApp(t, { env: { MAX_EVENT_LOOP_DELAY_MS: '50' } })
    let res: Answer | undefined
    for (let attempt = 0; attempt < 20 && res?.status !== 503; attempt++) {
      for (const end = Date.now() + 1500; Date.now() < end;) {
        const until = Date.now() + 150
        while (Date.now() < until) { /* busy, as a CPU-bound overload */ }
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
      res = answer(await b.app.inject({ url: '/health/ready' }))
    }
    return res!
  },
  // The test apps run on DATABASE_URL without WEBHOOK_ENCRYPTION_KEY: webhooks are off.
  'webhooks-not-configured': async (_t, { app, headers }) =>
    answer(await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url: 'https://lender.example/hooks', eventTypes: ['plan.accepted'] } })),
  'shutting-down': async (t) => {
    const b = await buildTestApp(t)
    b.app.drain.begin()
    return answer(await b.app.inject({ url: '/health/ready' }))
  }
}

async function freshTenant (built: TestApp) {
  const { headers, tenantId } = await built.tenant()
  return { app: built.app, headers, tenantId }
}

t.test('every problem type in the catalogue, raised as a client meets it', async (t) => {
  const built = await buildTestApp(t, { env: { PG_LOCK_TIMEOUT_MS: '300' } })
  const { headers } = await built.tenant()
  for (const [code, kind] of Object.entries(PROBLEM_KINDS) as Array<[ProblemCode, { status: number, title: string }]>) {
    await t.test(code, async (t) => {
      const trigger = triggers[code]
      t.ok(trigger, `a trigger for ${code}`)
      const got = await trigger(t, { app: built.app, headers, built })
      t.same(got, { status: kind.status, type: `/problems/${code}`, title: kind.title, contentType: 'application/problem+json; charset=utf-8' })
    })
  }
})

t.test('the catalogue and the triggers name the same problem types', async (t) => {
  t.same(Object.keys(triggers).sort(), Object.keys(PROBLEM_KINDS).sort())
})
