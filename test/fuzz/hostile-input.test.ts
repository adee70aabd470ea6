// Hand-written hostile requests: each must end in a clear 4xx problem (never a 500), and none may
// leave the process holding memory.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { buildTestApp } from '../helpers/app.js'
import { createQuote, loanRequest } from '../helpers/quotes.js'
import type { TapTest } from '../helpers/tap.js'

interface Answer { statusCode: number, headers: Record<string, unknown>, body: string, json: () => any }

const { app, tenant, config } = await buildTestApp(t, { env: { RATE_LIMIT_PER_MINUTE: '100000000' } })
const { headers: auth } = await tenant('hostile')
let sent = 0
const inject = app.inject.bind(app)
app.inject = (async (opts: string | import('light-my-request').InjectOptions) => { sent++; return await inject(opts) }) as unknown as typeof app.inject
const json = { ...auth, 'content-type': 'application/json' }
const plans = (key = randomUUID()) => ({ ...json, 'idempotency-key': key })

/** A 4xx (or exactly `status`) problem+json whose body carries the same status and no internals. */
function isProblem (t: TapTest, res: Answer, status?: number, name = '') {
  if (status === undefined) t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name} is a 4xx (got ${res.statusCode})`)
  else t.equal(res.statusCode, status, `${name} is a ${status}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${name} is application/problem+json`)
  let body: any
  try { body = JSON.parse(res.body) } catch {}
  t.equal(body?.status, res.statusCode, `${name}: the problem carries the HTTP status`)
  t.type(body?.type, 'string', `${name}: the problem has a type`)
  t.notMatch(res.body, /FST_|node_modules|\.ts:\d|at [\w.]+ \(|syntax error|violates|invalid byte sequence/i, `${name}: no internals leak`)
}

const quote = await createQuote(app, auth, 'LN-HOSTILE-1')
const planFor = async (loanId: string) => {
  const q = await createQuote(app, auth, loanId)
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: { quoteId: q.id, optionId: 'settlement' } })
  return res.json().id as string
}
const standard = (await app.inject({ method: 'GET', url: '/v1/policies/standard', headers: auth })).json().rules

t.test('a body above the limit is a 413 problem, and 50 of them leave the heap flat', async (t) => {
  t.equal(config.BODY_LIMIT_BYTES, 65536)
  const huge = JSON.stringify({ ...loanRequest('LN-BIG'), pad: 'x'.repeat(2 * 1024 * 1024) })
  const once = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: huge })
  isProblem(t, once, 413, 'a 2 MiB body')
  t.equal(once.json().type, '/problems/payload-too-large')
  const justOver = await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: JSON.stringify({ quoteId: quote.id, optionId: 'settlement', note: 'n'.repeat(65536) }) })
  isProblem(t, justOver, 413, 'a body just over 64 KiB')

  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const settle = () => { gc(); gc(); return process.memoryUsage().heapUsed }
  for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: huge })
  const before = settle()
  for (let i = 0; i < 50; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: huge })
    if (res.statusCode !== 413) t.fail(`request ${i} answered ${res.statusCode}`)
  }
  const grown = settle() - before
  // 50 retained 2 MiB bodies would be 100 MiB; allow 16 MiB of noise.
  t.ok(grown < 16 * 1024 * 1024, `the heap grew by ${(grown / 1048576).toFixed(1)} MiB over 50 oversized requests`)
})

t.test('huge arrays and strings under the limit are 400 problems', async (t) => {
  const cases: Array<[string, string, string, Record<string, string>, unknown]> = [
    ['a 60k-character loanId', 'POST', '/v1/quotes', json, loanRequest('L'.repeat(60_000))],
    ['a 60k-character note', 'POST', '/v1/plans', plans(), { quoteId: quote.id, optionId: 'settlement', note: 'n'.repeat(60_000) }],
    ['a 60k-character reason', 'POST', `/v1/plans/${randomUUID()}/cancel`, json, { reason: 'r'.repeat(60_000) }],
    ['a 20k-element termsMonths', 'PUT', '/v1/policies/huge', json, { ...standard, installment: { ...standard.installment, termsMonths: new Array(20_000).fill(12) } }],
    ['a 20k-element body array', 'POST', '/v1/quotes', json, new Array(20_000).fill(0)],
    ['a 3k-key discountByBucket', 'PUT', '/v1/policies/huge', json, { ...standard, settlement: { ...standard.settlement, discountByBucket: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`b${i}`, '0.1'])) } }]
  ]
  for (const [name, method, url, headers, payload] of cases) {
    const text = JSON.stringify(payload)
    t.ok(text.length < 65536, `${name} fits under the limit (${text.length} bytes)`)
    const res = await app.inject({ method: method as 'POST', url, headers, payload: text })
    isProblem(t, res, 400, name)
  }
  const longQuery = await app.inject({ method: 'GET', url: `/v1/plans?loanId=${'q'.repeat(50_000)}`, headers: auth })
  isProblem(t, longQuery, 400, 'a 50k-character query value')
})

t.test('deep nesting is refused without exhausting the stack', async (t) => {
  const depth = 10_000
  const cases: Array<[string, string]> = [
    ['10k levels of {"a":', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
    ['10k levels inside loan', `{"loan":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"borrower":{"monthlyIncome":"1"}}`],
    ['10k nested arrays', `${'['.repeat(depth)}${']'.repeat(depth)}`],
    ['10k levels under an unknown key with a constructor at the bottom', `{"x":${'{"a":'.repeat(depth)}{"constructor":{"prototype":{}}}${'}'.repeat(depth)}}`],
    ['10k unclosed levels', '{"a":'.repeat(depth)]
  ]
  for (const [name, payload] of cases) {
    t.ok(payload.length < 65536, `${name} fits under the limit`)
    isProblem(t, await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload }), 400, name)
  }
  const deepPolicy = JSON.stringify({ ...standard, settlement: { ...standard.settlement, discountByBucket: { M1: '@' } } }).replace('"@"', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
  isProblem(t, await app.inject({ method: 'PUT', url: '/v1/policies/deep', headers: json, payload: deepPolicy }), 400, 'a deep value in a map')
})

t.test('malformed JSON is a 400 malformed-json problem', async (t) => {
  for (const payload of ['{"loan": ', '{loan: 1}', "{'loan': 1}", '{"a":1,}', '[1,]', 'NaN', '{"a":01}', '{"a":"\\x41"}', '{"a":"\u0000"}', '{"a":1}{"b":2}', '\u0000', 'nul', '{"a":"\\ud800"']) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload })
    isProblem(t, res, 400, JSON.stringify(payload))
    t.equal(res.json().type, '/problems/malformed-json', JSON.stringify(payload))
  }
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: '' }), 400, 'an empty body')
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }), 400, 'invalid UTF-8')
})

t.test('a body that is not application/json is a 415 problem', async (t) => {
  const body = JSON.stringify(loanRequest('LN-CT'))
  const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/vnd.api+json', 'application/octet-stream', 'application', 'json', '*/*']
  for (const type of types) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { ...auth, 'content-type': type }, payload: body })
    isProblem(t, res, 415, type)
    t.equal(res.json().type, '/problems/unsupported-media-type', type)
  }
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/quotes', headers: auth, payload: Buffer.from(body) }), 415, 'no Content-Type')
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...auth, 'idempotency-key': randomUUID(), 'content-type': 'application/x-www-form-urlencoded' }, payload: `quoteId=${quote.id}&optionId=settlement` }), 415, 'a form acceptance')
  isProblem(t, await app.inject({ method: 'PUT', url: '/v1/policies/form', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' }, payload: '--b\r\nContent-Disposition: form-data; name="currency"\r\n\r\nCNY\r\n--b--\r\n' }), 415, 'a multipart policy')
  isProblem(t, await app.inject({ method: 'POST', url: `/v1/plans/${randomUUID()}/cancel`, headers: { ...auth, 'content-type': 'text/plain' }, payload: 'because' }), 415, 'a text/plain cancel')
})

t.test('duplicate JSON keys are accepted and the last one wins', async (t) => {
  // JSON.parse semantics: of two equal keys in one object, the later value is used. The service does
  // not detect duplicates; it validates and stores the last value.
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: '{"loan":{"loanId":"LN-FIRST","loanId":"LN-SECOND","balance":"1000.00","overdueDays":10,"overdueDays":"x"},"borrower":{"monthlyIncome":"1"}}' })
  isProblem(t, res, 400, 'a bad duplicate after a good one')
  t.match(res.json().errors, [{ path: '/body/loan/overdueDays' }], 'the later overdueDays ("x") is the one validated')
  const ok = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: '{"loan":{"loanId":"LN-FIRST","loanId":"LN-SECOND","balance":"1000.00","overdueDays":"x","overdueDays":10},"borrower":{"monthlyIncome":"1"}}' })
  t.equal(ok.statusCode, 201, 'a good duplicate after a bad one is accepted')
  t.equal(ok.json().loan.loanId, 'LN-SECOND', 'the last loanId wins')
  t.equal(ok.json().loan.overdueDays, 10, 'the last overdueDays wins')
  const twice = await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: `{"quoteId":"${randomUUID()}","quoteId":"${quote.id}","optionId":"nope"}` })
  t.equal(twice.statusCode, 422, 'the last quoteId is the one looked up (its option is unknown: 422, not 404)')
})

t.test('NUL bytes in string fields are refused with a 4xx, never a 500', async (t) => {
  const q = await createQuote(app, auth, 'LN-NUL')
  const cases: Array<[string, string, string, Record<string, string>, unknown]> = [
    ['loanId', 'POST', '/v1/quotes', json, loanRequest('LN\u0000NUL')],
    ['currency', 'POST', '/v1/quotes', json, loanRequest('LN-NUL-2', { currency: 'CN\u0000' })],
    ['policy name', 'POST', '/v1/quotes', json, { ...loanRequest('LN-NUL-3'), policy: 'std\u0000' }],
    ['optionId', 'POST', '/v1/plans', plans(), { quoteId: q.id, optionId: 'settle\u0000ment' }],
    ['acceptedBy', 'POST', '/v1/plans', plans(), { quoteId: q.id, optionId: 'settlement', acceptedBy: 'bor\u0000rower' }],
    ['channel', 'POST', '/v1/plans', plans(), { quoteId: q.id, optionId: 'settlement', channel: '\u0000' }],
    ['note', 'POST', '/v1/plans', plans(), { quoteId: q.id, optionId: 'settlement', note: 'a note\u0000' }],
    ['cancel reason', 'POST', `/v1/plans/${await planFor('LN-NUL-4')}/cancel`, json, { reason: 'moved\u0000' }],
    ['policy bucket name', 'PUT', '/v1/policies/nul-bucket', json, { ...standard, buckets: standard.buckets.map((b: { name: string }, i: number) => i === 0 ? { ...b, name: 'M\u00000' } : b) }],
    ['policy currency', 'PUT', '/v1/policies/nul-currency', json, { ...standard, currency: 'CN\u0000' }]
  ]
  for (const [name, method, url, headers, payload] of cases) {
    isProblem(t, await app.inject({ method: method as 'POST', url, headers, payload: JSON.stringify(payload) }), undefined, `NUL in ${name}`)
  }
  isProblem(t, await app.inject({ method: 'GET', url: '/v1/plans?loanId=LN%00NUL', headers: auth }), undefined, 'NUL in the loanId query')
  isProblem(t, await app.inject({ method: 'GET', url: '/v1/plans?cursor=%00', headers: auth }), 400, 'NUL in the cursor')
  isProblem(t, await app.inject({ method: 'GET', url: '/v1/plans/%00', headers: auth }), 400, 'NUL as a plan id')
  isProblem(t, await app.inject({ method: 'GET', url: '/v1/policies/%00', headers: auth }), 400, 'NUL as a policy name')
  const after = await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: { quoteId: q.id, optionId: 'settlement', acceptedBy: 'borrower' } })
  t.equal(after.statusCode, 201, 'the loan is still free for a clean acceptance')
})

t.test('unpaired surrogates are refused or stored, never a 500', async (t) => {
  // Lone surrogates are not Unicode scalar values; JSON may carry them as \ud800 escapes. The
  // service may refuse them (4xx) or store them replaced by U+FFFD (what PostgreSQL text receives
  // from the driver); either way it answers, and what it answers reads back the same.
  const q = await createQuote(app, auth, 'LN-SURROGATE')
  const lone = ['\ud800', 'x\udfffy', '\udc00\ud800', '😀\ud83d']
  for (const [i, s] of lone.entries()) {
    const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: { quoteId: q.id, optionId: 'settlement', acceptedBy: s, channel: s, note: s } })
    t.ok(res.statusCode < 500, `acceptance with ${JSON.stringify(s)}: ${res.statusCode}`)
    if (res.statusCode === 201) {
      const plan = res.json()
      t.notOk(/[\ud800-\udfff]/.test(plan.note.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), 'no lone surrogate comes back')
      const read = await app.inject({ method: 'GET', url: `/v1/plans/${plan.id}`, headers: auth })
      t.equal(read.json().note, plan.note, 'the read matches the answer')
      const cancel = await app.inject({ method: 'POST', url: `/v1/plans/${plan.id}/cancel`, headers: json, payload: JSON.stringify({ reason: s }) })
      t.ok(cancel.statusCode < 500, `cancel reason ${JSON.stringify(s)}: ${cancel.statusCode}`)
    } else {
      isProblem(t, res, undefined, `surrogate ${i}`)
    }
  }
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: JSON.stringify(loanRequest('LN-\ud800')) }), 400, 'a lone surrogate in loanId')
  const bucket = { ...standard, buckets: standard.buckets.map((b: { name: string }) => b.name === 'M4+' ? { ...b, name: 'M4\ud800' } : b), settlement: { ...standard.settlement, discountByBucket: { 'M4\ud800': '0.1' } } }
  const policy = await app.inject({ method: 'PUT', url: '/v1/policies/surrogate', headers: json, payload: JSON.stringify(bucket) })
  t.ok(policy.statusCode < 500, `a lone surrogate in a policy bucket name: ${policy.statusCode}`)
  if (policy.statusCode >= 400) isProblem(t, policy, undefined, 'a lone surrogate in a policy bucket name')
  const query = await app.inject({ method: 'GET', url: '/v1/plans?loanId=%ED%A0%80', headers: auth })
  t.ok(query.statusCode < 500, `an encoded lone surrogate in the query: ${query.statusCode}`)
})

t.test('__proto__, constructor and prototype keys are refused and pollute nothing', async (t) => {
  const q = await createQuote(app, auth, 'LN-PROTO')
  const bodies: Array<[string, string, string, Record<string, string>, string]> = [
    ['__proto__ at the top', 'POST', '/v1/quotes', json, JSON.stringify(loanRequest('LN-P1')).replace('{', '{"__proto__":{"polluted":true},')],
    ['__proto__ in loan', 'POST', '/v1/quotes', json, JSON.stringify(loanRequest('LN-P2')).replace('"loan":{', '"loan":{"__proto__":{"overdueDays":1},')],
    ['constructor.prototype', 'POST', '/v1/quotes', json, JSON.stringify(loanRequest('LN-P3')).replace('{', '{"constructor":{"prototype":{"polluted":true}},')],
    ['constructor', 'POST', '/v1/quotes', json, JSON.stringify(loanRequest('LN-P4')).replace('{', '{"constructor":1,')],
    ['prototype', 'POST', '/v1/quotes', json, JSON.stringify(loanRequest('LN-P5')).replace('{', '{"prototype":{"polluted":true},')],
    ['__proto__ in an acceptance', 'POST', '/v1/plans', plans(), `{"quoteId":"${q.id}","optionId":"settlement","__proto__":{"acceptedBy":"attacker"}}`],
    ['constructor in a cancel', 'POST', `/v1/plans/${randomUUID()}/cancel`, json, '{"reason":"x","constructor":{"prototype":{"polluted":true}}}'],
    ['__proto__ as a bucket', 'PUT', '/v1/policies/proto', json, JSON.stringify({ ...standard, settlement: { ...standard.settlement, discountByBucket: {} } }).replace('"discountByBucket":{', '"discountByBucket":{"__proto__":"0.5"')],
    ['__proto__ under policy penalty', 'PUT', '/v1/policies/proto', json, JSON.stringify(standard).replace('"penalty":{', '"penalty":{"__proto__":{"graceDays":0},')]
  ]
  for (const [name, method, url, headers, payload] of bodies) {
    isProblem(t, await app.inject({ method: method as 'POST', url, headers, payload }), 400, name)
  }
  for (const key of ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][polluted]']) {
    isProblem(t, await app.inject({ method: 'GET', url: `/v1/plans?${encodeURIComponent(key)}=1`, headers: auth }), 400, `query key ${key}`)
  }
  for (const name of ['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring']) {
    const res = await app.inject({ method: 'GET', url: `/v1/policies/${name}`, headers: auth })
    t.ok([400, 404].includes(res.statusCode), `policy ${name}: ${res.statusCode}`)
    isProblem(t, res, undefined, `policy ${name}`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
  t.equal(({} as Record<string, unknown>).acceptedBy, undefined)
})

t.test('numbers where strings belong and strings where numbers belong are 400 problems', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['numeric loanId', { ...loanRequest('x'), loan: { ...loanRequest('x').loan, loanId: 123 } }],
    ['numeric balance', loanRequest('LN-T1', { balance: 50000 })],
    ['numeric rate', loanRequest('LN-T2', { annualInterestRate: 0.12 })],
    ['numeric income', { ...loanRequest('LN-T3'), borrower: { monthlyIncome: 9000 } }],
    ['string overdueDays', loanRequest('LN-T4', { overdueDays: '45' })],
    ['boolean overdueDays', loanRequest('LN-T5', { overdueDays: true })],
    ['null overdueDays', loanRequest('LN-T6', { overdueDays: null })],
    ['array balance', loanRequest('LN-T7', { balance: ['50000.00'] })],
    ['object loan', { ...loanRequest('LN-T8'), loan: 'LN-T8' }],
    ['array borrower', { ...loanRequest('LN-T9'), borrower: [{ monthlyIncome: '1' }] }]
  ]
  for (const [name, payload] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: JSON.stringify(payload) })
    isProblem(t, res, 400, name)
    t.equal(res.json().type, '/problems/validation', name)
  }
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: { quoteId: 42, optionId: 'settlement' } }), 400, 'numeric quoteId')
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/plans', headers: plans(), payload: { quoteId: quote.id, optionId: 7 } }), 400, 'numeric optionId')
  isProblem(t, await app.inject({ method: 'POST', url: `/v1/plans/${randomUUID()}/cancel`, headers: json, payload: { reason: 1 } }), 400, 'numeric reason')
  isProblem(t, await app.inject({ method: 'PUT', url: '/v1/policies/types', headers: json, payload: { ...standard, quoteValidityDays: '7' } }), 400, 'string quoteValidityDays')
  isProblem(t, await app.inject({ method: 'PUT', url: '/v1/policies/types', headers: json, payload: { ...standard, currency: 156 } }), 400, 'numeric currency')
  isProblem(t, await app.inject({ method: 'GET', url: '/v1/plans?limit=ten', headers: auth }), 400, 'a non-numeric limit')
})

t.test('2^53+1, 1e308 and other extreme numbers for overdueDays are 400 problems', async (t) => {
  const base = JSON.stringify(loanRequest('LN-NUM', { overdueDays: 424242 }))
  for (const raw of ['9007199254740993', '-9007199254740993', '1e308', '-1e308', '1e999', '-1e999', '5e-324', '3650.5', '-1', '-0.0000001', '3651', '1' + '0'.repeat(400)]) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: base.replace('424242', raw) })
    isProblem(t, res, 400, `overdueDays ${raw.slice(0, 20)}`)
    t.match(res.json().errors, [{ path: '/body/loan/overdueDays' }], `overdueDays ${raw.slice(0, 20)} names the field`)
  }
  const edge = await app.inject({ method: 'POST', url: '/v1/quotes', headers: json, payload: base.replace('424242', '3650') })
  t.equal(edge.statusCode, 201, '3650 is the largest accepted')
  for (const raw of ['9007199254740993', '1e308', '-1', '0']) {
    isProblem(t, await app.inject({ method: 'GET', url: `/v1/plans?limit=${raw}`, headers: auth }), 400, `limit ${raw}`)
  }
  const policy = JSON.stringify({ ...standard, quoteValidityDays: 424242 })
  for (const raw of ['9007199254740993', '1e308']) {
    isProblem(t, await app.inject({ method: 'PUT', url: '/v1/policies/extreme', headers: json, payload: policy.replace('424242', raw) }), 400, `quoteValidityDays ${raw}`)
  }
})

t.test('an unknown route is a 404 problem', async (t) => {
  for (const url of ['/nowhere', '/v1', '/v1/', '/v2/quotes', `/v1/plans/${randomUUID()}/refund`, '/V1/ME', '/v1/me/', '/v1/nothing?x=1#frag', `/${'a'.repeat(5000)}`]) {
    const res = await app.inject({ method: 'GET', url, headers: auth })
    isProblem(t, res, 404, url.slice(0, 60))
    t.equal(res.json().type, '/problems/not-found')
  }
})

t.test('a wrong method on a known path is a 404 or 405 problem', async (t) => {
  const cases: Array<[string, string]> = [
    ['DELETE', '/v1/quotes'], ['PUT', '/v1/quotes'], ['GET', '/v1/quotes'], ['PATCH', '/v1/plans'], ['DELETE', `/v1/plans/${randomUUID()}`],
    ['GET', `/v1/plans/${randomUUID()}/cancel`], ['POST', '/v1/me'], ['DELETE', '/v1/policies/standard'], ['POST', '/v1/policies/standard'], ['OPTIONS', '/v1/plans'], ['POST', '/openapi.json']
  ]
  for (const [method, url] of cases) {
    const bodyless = method === 'GET' || method === 'OPTIONS'
    const res = await app.inject({ method: method as 'GET', url, headers: bodyless ? auth : json, payload: bodyless ? undefined : '{}' })
    t.ok([404, 405].includes(res.statusCode), `${method} ${url}: ${res.statusCode}`)
    isProblem(t, res, undefined, `${method} ${url}`)
  }
})

t.test('an undecodable or over-long path is a 4xx problem', async (t) => {
  for (const url of ['/v1/plans/%zz', '/v1/quotes/%E0%A4%A', '/v1/policies/%', `/v1/policies/${'a'.repeat(150)}`, `/v1/plans/${'a'.repeat(150)}/cancel`]) {
    const res = await app.inject({ method: url.endsWith('/cancel') ? 'POST' : 'GET', url, headers: json, payload: url.endsWith('/cancel') ? '{"reason":"x"}' : undefined })
    isProblem(t, res, undefined, url.slice(0, 40))
  }
})

t.test('every hostile request was answered', async (t) => {
  t.comment(`${sent} requests sent`)
  t.ok(sent > 150)
})
