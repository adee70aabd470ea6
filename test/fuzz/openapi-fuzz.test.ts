// Fuzzes every /v1 operation from the service's own OpenAPI document: valid requests (biased towards
// real quotes, policies and plans) and hostile mutations of one part at a time (path, query,
// headers, body, credentials). Every answer must be a documented, schema-valid, non-5xx response;
// every problem must be application/problem+json carrying its own status; every invalid request a 4xx.
import t from 'tap'
import fc from 'fast-check'
import { randomUUID } from 'node:crypto'
import { parse as parseQuery } from 'node:querystring'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { buildTestApp } from '../helpers/app.js'
import { TEST_WEBHOOK_KEY } from '../helpers/env.js'
import { createQuote, loanRequest } from '../helpers/quotes.js'
import { Deep, invalidArb, validArb, withRawNumbers, type Schema, type SchemaContext } from './schema-arbitraries.js'

// Requests per operation (half valid, half mutated); FUZZ_RUNS scales the whole file.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1800)
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats

// The per-tenant rate limit would answer most of thousands of requests with 429: lift it.
// Webhooks on (a key), so their operations answer as documented rather than 503 webhooks-not-configured.
const { app, tenant } = await buildTestApp(t, { env: { RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_ENCRYPTION_KEY: TEST_WEBHOOK_KEY } })
const { headers: auth } = await tenant('fuzzer')
const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
const components = doc.components.schemas as Record<string, Schema>

function makeAjv (options: Options): Ajv {
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, ...options })
  addFormats(ajv, ['date', 'date-time', 'uuid'])
  for (const [name, schema] of Object.entries(components)) ajv.addSchema(schema, `#/components/schemas/${name}`)
  return ajv
}
// Responses are checked against the document as written; requests are judged by the document too,
// with the coercion the README promises for text parts (query strings, paths, headers) and none for bodies.
const responseAjv = makeAjv({ allErrors: true })
const bodyAjv = makeAjv({ coerceTypes: false })
const textAjv = makeAjv({ coerceTypes: 'array' })
const ctx: SchemaContext = { resolve: (s) => typeof s.$ref === 'string' ? components[s.$ref.split('/').pop()!]! : s }

// ---- real data, so that valid paths and bodies reach stored quotes, policies and plans ----
const standard = (await app.inject({ method: 'GET', url: '/v1/policies/standard', headers: auth })).json().rules
const putPolicy = await app.inject({ method: 'PUT', url: '/v1/policies/fuzz', headers: auth, payload: { ...standard, dayCount: 'ACT/365', installment: { ...standard.installment, methods: ['annuity', 'equal_principal'] } } })
if (putPolicy.statusCode !== 200) throw new Error(`policy: ${putPolicy.body}`)
const quotes: Array<{ id: string, options: string[] }> = []
for (let i = 0; i < 60; i++) {
  const q = await createQuote(app, auth, `LN-FUZZ-${i}`, { overdueDays: [0, 5, 45, 75, 120, 400][i % 6] })
  quotes.push({ id: q.id, options: q.options.map((o) => o.id) })
}
const plans: string[] = []
for (const q of quotes.slice(0, 10)) {
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...auth, 'idempotency-key': randomUUID() }, payload: { quoteId: q.id, optionId: q.options.at(-1) } })
  plans.push(res.json().id)
}
await app.inject({ method: 'POST', url: `/v1/plans/${plans[0]}/cancel`, headers: auth, payload: { reason: 'seed' } })
const cursor: string = (await app.inject({ method: 'GET', url: '/v1/plans?limit=2', headers: auth })).json().nextCursor
const missingId = randomUUID()

interface Seeds { path?: unknown[], query?: unknown[], header?: unknown[], body?: unknown[] }
const SEEDS: Record<string, Seeds> = {
  'POST /v1/quotes': {
    body: [
      loanRequest('LN-NEW-1'), loanRequest('LN-NEW-2', { overdueDays: 200, annualInterestRate: '0.2' }),
      { ...loanRequest('LN-NEW-3', { currency: 'JPY', balance: '500000', overdueAmount: '20000' }), borrower: { monthlyIncome: '300000', availableFunds: '600000' } },
      { ...loanRequest('LN-NEW-4'), asOf: '2026-01-31', policy: 'fuzz' }, { ...loanRequest('LN-NEW-5'), policy: 'nope' }
    ]
  },
  'GET /v1/quotes/{id}': { path: [...quotes.slice(0, 6).map((q) => ({ id: q.id })), { id: missingId }] },
  'GET /v1/policies/{name}': { path: [{ name: 'standard' }, { name: 'fuzz' }, { name: 'absent' }] },
  'PUT /v1/policies/{name}': { path: [{ name: 'fuzz' }, { name: 'fuzz-put' }], body: [standard, { ...standard, currency: 'JPY', roundingMode: 'HALF_EVEN' }] },
  'POST /v1/plans': {
    body: [
      ...quotes.flatMap((q) => [{ quoteId: q.id, optionId: q.options[0] }, { quoteId: q.id, optionId: q.options.at(-1), acceptedBy: 'borrower', channel: 'app', note: 'fuzz' }]),
      { quoteId: missingId, optionId: 'settlement' }
    ]
  },
  'GET /v1/plans': { query: [{ limit: 20 }, { loanId: 'LN-FUZZ-3', limit: 5 }, { status: 'active', limit: 2 }, { status: 'cancelled', limit: 100 }, { cursor, limit: 2 }] },
  'GET /v1/plans/{id}': { path: [...plans.map((id) => ({ id })), { id: missingId }, { id: quotes[0]!.id }] },
  'POST /v1/plans/{id}/cancel': { path: [...plans.map((id) => ({ id })), { id: missingId }], body: [{ reason: 'fuzz' }, { reason: 'borrower moved' }] }
}

// ---- the operations, and a JSON schema per request part ----
type Part = 'path' | 'query' | 'header' | 'body'
interface Operation { name: string, method: string, path: string, spec: any, parts: Partial<Record<Part, Schema>> }

function operations (): Operation[] {
  const found: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    if (!path.startsWith('/v1/')) continue
    for (const [method, spec] of Object.entries(item)) {
      const parts: Partial<Record<Part, Schema>> = {}
      for (const where of ['path', 'query', 'header'] as const) {
        const params = ((spec.parameters ?? []) as any[]).filter((p) => p.in === where)
        if (params.length === 0) continue
        parts[where] = {
          type: 'object',
          properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
          required: params.filter((p) => p.required === true).map((p) => p.name),
          // Unknown query fields are refused (README); headers are open by nature.
          ...(where === 'header' ? {} : { additionalProperties: false })
        }
      }
      const body = spec.requestBody?.content?.['application/json']?.schema
      if (body !== undefined) parts.body = body
      found.push({ name: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, spec, parts })
    }
  }
  return found
}

// ---- turning generated parts into bytes, and judging them as the server will see them ----
const MISSING = Symbol('missing body')
const RAW_SEGMENTS = ['%zz', '%E0%A4%A', '%', 'a'.repeat(150), '%00', '%C0%AF']
let keyCounter = 0

function encodeSegment (value: unknown): string {
  if (typeof value === 'object' && value !== null && 'raw' in value) return String((value as { raw: string }).raw)
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  try { return encodeURIComponent(text) } catch {
    return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
  }
}

function decodeSegment (encoded: string): string | undefined {
  try { return decodeURIComponent(encoded) } catch { return undefined }
}

const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

interface Built { mutated: string | null, url: string, headers: Record<string, string>, payload: string | undefined, valid: boolean }

function buildRequest (op: Operation, parts: Record<string, unknown>, authMode: string | null, mutated: string | null): Built {
  let valid = authMode === null
  const check = (validate: ValidateFunction, data: unknown) => { if (!validate(data)) valid = false }

  let url = op.path
  if (op.parts.path !== undefined) {
    const values = (parts.path ?? {}) as Record<string, unknown>
    const decoded: Record<string, unknown> = {}
    for (const name of Object.keys(op.parts.path.properties)) {
      if (!(name in values)) continue
      const segment = encodeSegment(values[name])
      url = url.replace(`{${name}}`, segment)
      const back = decodeSegment(segment)
      if (back === undefined || back.length > 100) valid = false // not a URL the router can decode, or longer than its limit
      else decoded[name] = back
    }
    if (/\{\w+\}/.test(url)) valid = false
    check(textAjv.compile(op.parts.path), { ...decoded })
  }
  if (op.parts.query !== undefined && parts.query !== undefined) {
    const query = parts.query as Record<string, unknown>
    const pairs: string[] = []
    for (const [key, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) pairs.push(`${encodeSegment(key)}=${encodeSegment(typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v))}`)
    }
    if (pairs.length > 0) url += `?${pairs.join('&')}`
    check(textAjv.compile(op.parts.query), { ...parseQuery(pairs.join('&')) })
  }
  const headers: Record<string, string> = { ...auth }
  if (authMode === 'missing') delete headers.authorization
  else if (authMode !== null) headers.authorization = authMode
  if (op.parts.header !== undefined) {
    const given = (parts.header ?? {}) as Record<string, unknown>
    const sent: Record<string, string> = {}
    for (const [name, value] of Object.entries(given)) {
      let text = typeof value === 'string' ? value : JSON.stringify(value)
      if (!HEADER_VALUE.test(text)) text = ' ' // a value HTTP cannot carry becomes one the schema refuses
      if (name === 'idempotency-key' && valid && textAjv.validate(op.parts.header.properties[name], text)) {
        text = `${text.slice(0, 240).trimEnd()}#${++keyCounter}` // a fresh key per request
      }
      sent[name] = text
    }
    Object.assign(headers, sent)
    check(textAjv.compile(op.parts.header), sent)
  }
  let payload: string | undefined
  if (op.parts.body !== undefined) {
    headers['content-type'] = 'application/json'
    if (parts.body === MISSING) {
      valid = false
    } else {
      payload = withRawNumbers(JSON.stringify(parts.body))
      check(bodyAjv.compile(op.parts.body), JSON.parse(payload))
    }
  }
  return { mutated: authMode !== null ? 'auth' : mutated, url, headers, payload, valid }
}

function requestArb (op: Operation): fc.Arbitrary<{ parts: Record<string, unknown>, mutated: string | null, auth: string | null }> {
  const seeds = SEEDS[op.name] ?? {}
  const names = Object.keys(op.parts) as Part[]
  const valid: Record<string, fc.Arbitrary<unknown>> = {}
  for (const part of names) {
    let arb = validArb(ctx, op.parts[part]!, seeds[part] ?? [])
    // `.`/`..` and empty path segments name other URLs once a client normalises them: not this operation.
    if (part === 'path') arb = arb.filter((v) => Object.values(v as object).every((x) => x !== '' && x !== '.' && x !== '..'))
    valid[part] = arb
  }
  const validParts = fc.record(valid)
  const mutations: Array<fc.Arbitrary<{ parts: Record<string, unknown>, mutated: string | null, auth: string | null }>> = []
  for (const part of names) {
    let bad = invalidArb(ctx, op.parts[part]!, seeds[part] ?? [])
    // A query string, a header set or a path is always a map of names: only its entries can be wrong.
    if (part !== 'body') bad = bad.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Deep))
    if (part === 'path') {
      const [name] = Object.keys(op.parts.path!.properties)
      bad = fc.oneof(bad.filter((v) => Object.values(v as object).every((x) => x !== '' && x !== '.' && x !== '..')),
        fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ [name!]: { raw } })))
    }
    if (part === 'body') bad = fc.oneof({ weight: 20, arbitrary: bad }, { weight: 1, arbitrary: fc.constant(MISSING) })
    mutations.push(fc.tuple(validParts, bad).map(([v, b]) => ({ parts: { ...v, [part]: b }, mutated: part, auth: null })))
  }
  mutations.push(fc.tuple(validParts, fc.constantFrom('missing', 'Bearer', 'Bearer rpk_nope', `Bearer rpk_${'0'.repeat(43)}`, 'Basic dXNlcjpwYXNz', 'bearer  x', `Bearer ${'x'.repeat(5000)}`))
    .map(([v, a]) => ({ parts: v, mutated: 'auth', auth: a })))
  return fc.oneof(
    { weight: Math.max(1, mutations.length), arbitrary: validParts.map((v) => ({ parts: v, mutated: null, auth: null })) },
    ...mutations.map((arbitrary) => ({ weight: 1, arbitrary }))
  )
}

// ---- judging the answers ----
const responseValidators = new Map<string, ValidateFunction>()
function responseValidator (op: Operation, status: string, contentType: string, schema: Schema): ValidateFunction {
  const key = `${op.name} ${status} ${contentType}`
  let validate = responseValidators.get(key)
  if (validate === undefined) { validate = responseAjv.compile(schema); responseValidators.set(key, validate) }
  return validate
}

const clip = (text: string | undefined, n: number) => text === undefined ? undefined : text.length > n ? `${text.slice(0, n)}…(${text.length} chars)` : text

interface Violation { count: number, example: unknown }

async function fuzz (op: Operation, runs: number) {
  const violations = new Map<string, Violation>()
  const stats = { requests: 0, valid: 0, invalid: 0, statuses: {} as Record<number, number> }
  const record = (kind: string, req: Built, res: { statusCode: number, headers: Record<string, unknown>, body: string }, extra?: unknown) => {
    const seen = violations.get(kind)
    if (seen !== undefined) { seen.count++; return }
    violations.set(kind, {
      count: 1,
      example: { mutated: req.mutated, method: op.method, url: clip(req.url, 300), idempotencyKey: clip(req.headers['idempotency-key'], 80), payload: clip(req.payload, 600), status: res.statusCode, contentType: res.headers['content-type'], body: clip(res.body, 400), ...(extra === undefined ? {} : { detail: extra }) }
    })
  }

  await fc.assert(fc.asyncProperty(requestArb(op), async ({ parts, auth: authMode, mutated }) => {
    const req = buildRequest(op, parts, authMode, mutated)
    let res
    try {
      res = await app.inject({ method: op.method as 'GET', url: req.url, headers: req.headers, ...(req.payload === undefined ? {} : { payload: req.payload }) })
    } catch (err) {
      record(`the request could not be sent: ${(err as Error).message}`, req, { statusCode: 0, headers: {}, body: '' })
      return true
    }
    stats.requests++
    stats[req.valid ? 'valid' : 'invalid']++
    stats.statuses[res.statusCode] = (stats.statuses[res.statusCode] ?? 0) + 1
    const status = res.statusCode
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim()

    if (status >= 500) record(`${status}: a server error`, req, res)
    if (!req.valid && (status < 400 || status >= 500)) record(`${status}: an invalid request was not refused with a 4xx`, req, res)
    const documented = op.spec.responses[String(status)]
    if (documented === undefined) { record(`${status}: a status the operation does not document`, req, res); return true }
    if (status >= 400) {
      if (mediaType !== 'application/problem+json') record(`${status}: an error that is not application/problem+json (${mediaType})`, req, res)
      let problem: any
      try { problem = JSON.parse(res.body) } catch {}
      if (problem?.status !== status) record(`${status}: a problem whose status is not the HTTP status`, req, res)
    }
    const content = (documented.content ?? {}) as Record<string, { schema: Schema }>
    if (Object.keys(content).length === 0) return true
    let declared = content[mediaType]
    if (declared === undefined) {
      record(`${status}: the response is ${mediaType}, the document declares only ${Object.keys(content).join(', ')}`, req, res)
      declared = Object.values(content)[0]! // still hold the body to the status's schema
    }
    let body: unknown
    try { body = JSON.parse(res.body) } catch {
      record(`${status}: a body that is not JSON`, req, res)
      return true
    }
    const validate = responseValidator(op, String(status), mediaType, declared.schema)
    if (!validate(body)) record(`${status}: a body that violates the declared schema`, req, res, validate.errors?.slice(0, 3))
    return true
  }), { numRuns: runs, seed: SEED, endOnFailure: true })
  return { violations, stats }
}

for (const op of operations()) {
  // Operations without inputs only vary their credentials: a tenth of the runs covers them.
  const runs = Object.keys(op.parts).length === 0 ? Math.ceil(RUNS / 10) : RUNS
  t.test(`${op.name} answers every generated request with a documented, schema-valid, non-5xx response`, async (t) => {
    const started = Date.now()
    const { violations, stats } = await fuzz(op, runs)
    t.comment(`${op.name}: ${stats.requests} requests (${stats.valid} valid, ${stats.invalid} invalid) in ${Date.now() - started} ms; statuses ${JSON.stringify(stats.statuses)}`)
    t.ok(stats.requests >= runs, 'every run sent a request')
    for (const [kind, { count, example }] of violations) t.fail(`${op.name} → ${kind} (${count}×)`, { example })
    t.equal(violations.size, 0, 'no violations')
  })
}

t.test('the fuzzing left Object.prototype alone', async (t) => {
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal(Object.keys(Object.prototype).length, 0)
})
