import t from 'tap'
import Fastify from 'fastify'
import { Type } from 'typebox'
import problemHandler from '../../src/http/plugins/problem-handler.js'
import { buildValidator } from '../../src/http/validation.js'
import { Problem } from '../../src/http/problems.js'
import { buildTestApp } from '../helpers/app.js'
import type { TapTest } from '../helpers/tap.js'

async function bareApp (t: TapTest) {
  const app = Fastify({ logger: false, bodyLimit: 1024, schemaController: { compilersFactory: { buildValidator: buildValidator as never } } })
  await app.register(problemHandler)
  app.removeContentTypeParser('text/plain')
  app.post('/echo', {
    schema: {
      body: Type.Object({ name: Type.String({ maxLength: 10 }), count: Type.Integer() }, { additionalProperties: false }),
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) })
    }
  }, async (request) => ({ body: request.body, query: request.query }))
  app.get('/boom', async () => { throw new Error('SELECT secret FROM api_keys failed at line 3') })
  app.get('/db-down', async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' }) })
  app.get('/gone', async () => { throw new Problem('quote-expired', 'the quote expired', { expiredAt: '2026-01-01' }) })
  t.teardown(async () => { await app.close() })
  return app
}

const isProblem = (t: TapTest, res: { headers: Record<string, unknown>, json: () => any, statusCode: number }) => {
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.json().status, res.statusCode)
  t.type(res.json().title, 'string')
  t.type(res.json().detail, 'string')
}

t.test('an unknown route is a 404 problem, not an HTML page', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/nowhere?secret=1' })
  t.equal(res.statusCode, 404)
  isProblem(t, res)
  t.same(res.json(), { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'no route for GET /nowhere', instance: '/nowhere' })
})

t.test('validation failures list every bad field by path', async (t) => {
  const app = await bareApp(t)
  const missing = await app.inject({ method: 'POST', url: '/echo', payload: { count: 1 } })
  t.equal(missing.statusCode, 400)
  isProblem(t, missing)
  t.match(missing.json(), { type: '/problems/validation', errors: [{ path: '/body/name', message: 'is required' }] })
  const unknown = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', count: 1, status: 'ACCEPTED' } })
  t.match(unknown.json(), { status: 400, errors: [{ path: '/body/status', message: 'is not a known field' }] })
})

t.test('JSON bodies are not coerced, query strings are', async (t) => {
  const app = await bareApp(t)
  const coerced = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', count: '30' } })
  t.equal(coerced.statusCode, 400)
  t.match(coerced.json().errors, [{ path: '/body/count' }])
  const query = await app.inject({ method: 'POST', url: '/echo?limit=5', payload: { name: 'a', count: 30 } })
  t.equal(query.statusCode, 200)
  t.same(query.json(), { body: { name: 'a', count: 30 }, query: { limit: 5 } })
  const badQuery = await app.inject({ method: 'POST', url: '/echo?limit=abc', payload: { name: 'a', count: 30 } })
  t.match(badQuery.json(), { status: 400, errors: [{ path: '/querystring/limit' }] })
})

t.test('malformed, empty, oversized and non-JSON bodies are clear 4xx problems', async (t) => {
  const app = await bareApp(t)
  const cases: Array<[string, string, string, number, string]> = [
    ['malformed', '{"name": ', 'application/json', 400, '/problems/malformed-json'],
    ['empty', '', 'application/json', 400, '/problems/malformed-json'],
    ['too large', JSON.stringify({ name: 'x'.repeat(2000), count: 1 }), 'application/json', 413, '/problems/payload-too-large'],
    ['plain text', 'name=a', 'text/plain', 415, '/problems/unsupported-media-type']
  ]
  for (const [name, payload, contentType, status, type] of cases) {
    const res = await app.inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': contentType } })
    t.equal(res.statusCode, status, name)
    isProblem(t, res)
    t.equal(res.json().type, type, name)
    t.notMatch(res.body, /FST_|at .*\.js|Unexpected token/, `${name}: no parser internals`)
  }
})

t.test('an unexpected error is a 500 problem without its message or stack', async (t) => {
  const app = await bareApp(t)
  const res = await app.inject({ method: 'GET', url: '/boom' })
  t.equal(res.statusCode, 500)
  isProblem(t, res)
  t.notMatch(res.body, /SELECT|secret|api_keys|\.ts:/)
})

t.test('an unreachable database is a 503 with Retry-After', async (t) => {
  const app = await bareApp(t)
  const res = await app.inject({ method: 'GET', url: '/db-down' })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '1')
  isProblem(t, res)
  t.notMatch(res.body, /5432|ECONNREFUSED/)
})

t.test('a domain problem keeps its type, status and extensions', async (t) => {
  const app = await bareApp(t)
  const res = await app.inject({ method: 'GET', url: '/gone' })
  t.equal(res.statusCode, 410)
  t.same(res.json(), { type: '/problems/quote-expired', title: 'Gone', status: 410, detail: 'the quote expired', expiredAt: '2026-01-01', instance: '/gone' })
})
