import { readFile } from 'node:fs/promises'
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { buildTestApp } from '../helpers/app.js'
import { PROBLEM_KINDS } from '../../src/http/problems.js'

type AddFormats = (ajv: Ajv2020) => Ajv2020
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats

const doc = JSON.parse(await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'))
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
  Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ path, method, op })))

const pointer = (parts: string[]): string => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

t.test('every operation has a unique camelCase operationId', async (t) => {
  const ids = operations.map(({ op }) => op.operationId)
  for (const { path, method, op } of operations) t.match(op.operationId, /^[a-z]+[A-Za-z]*$/, `${method.toUpperCase()} ${path}`)
  t.equal(new Set(ids).size, ids.length, 'no two operations share an id')
  const byRoute = Object.fromEntries(operations.map(({ path, method, op }) => [`${method} ${path}`, op.operationId]))
  t.match(byRoute, {
    'post /v1/quotes': 'createQuote', 'get /v1/quotes/{id}': 'getQuote', 'post /v1/plans': 'acceptPlan', 'get /v1/plans': 'listPlans',
    'get /v1/plans/{id}': 'getPlan', 'post /v1/plans/{id}/cancel': 'cancelPlan', 'get /v1/policies': 'listPolicies',
    'get /v1/policies/{name}': 'getPolicy', 'put /v1/policies/{name}': 'putPolicy', 'get /v1/me': 'getMe'
  })
})

t.test('the document names its version (the package\'s) and servers', async (t) => {
  t.equal(doc.info.version, pkg.version)
  t.ok(Array.isArray(doc.servers) && doc.servers.length > 0)
})

t.test('every example in the document is valid against its schema', async (t) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(doc, 'openapi.json')
  let checked = 0
  const check = (schemaAt: string[], value: unknown, where: string): void => {
    const validate = ajv.getSchema('openapi.json' + pointer(schemaAt))
    if (validate === undefined) { t.fail(`no schema at ${where}`); return }
    const ok = validate(value)
    t.ok(ok, `${where}: ${JSON.stringify(validate.errors)}`)
    checked++
  }
  // Media-type examples (request bodies and responses), and every `examples` inside a schema.
  const walk = (node: unknown, at: string[]): void => {
    if (node === null || typeof node !== 'object') return
    const obj = node as Record<string, unknown>
    if ('schema' in obj && typeof obj.schema === 'object') {
      if ('example' in obj) check([...at, 'schema'], obj.example, at.join('/'))
      for (const [name, example] of Object.entries((obj.examples ?? {}) as Record<string, { value: unknown }>)) check([...at, 'schema'], example.value, `${at.join('/')} ${name}`)
    }
    if (Array.isArray(obj.examples) && ('type' in obj || '$ref' in obj)) {
      obj.examples.forEach((example, i) => { check(at, example, `${at.join('/')} examples[${i}]`) })
    }
    for (const [key, child] of Object.entries(obj)) if (key !== 'examples' && key !== 'example') walk(child, [...at, key])
  }
  walk(doc.paths, ['paths'])
  walk(doc.components, ['components'])
  t.ok(checked > 100, `${checked} examples checked`)
})

t.test('each documented error status has its own example, of that status, naming a catalogued type', async (t) => {
  const statuses = new Set<string>()
  for (const { path, method, op } of operations) {
    for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
      if (Number(status) < 400) continue
      const examples = Object.values(response.content['application/problem+json'].examples as Record<string, { value: { status: number, type: string } }>)
      t.ok(examples.length > 0, `${method} ${path} ${status} has an example`)
      for (const { value } of examples) {
        t.equal(value.status, Number(status), `${method} ${path} ${status}: ${value.type}`)
        if (value.type !== 'about:blank') t.ok(Object.hasOwn(PROBLEM_KINDS, value.type.replace('/problems/', '')), value.type)
      }
      statuses.add(status)
    }
  }
  t.same([...statuses].sort(), ['400', '401', '404', '409', '410', '413', '414', '415', '422', '429', '500', '503'])
})

t.test('no example fixes asOf', async (t) => {
  const example = doc.paths['/v1/quotes'].post.requestBody.content['application/json'].example
  t.ok(example?.loan, 'the quote operation has a whole-body example')
  t.notOk('asOf' in example, 'the request example leaves asOf out (today)')
  t.notOk(doc.paths['/v1/quotes'].post.requestBody.content['application/json'].schema.properties.asOf.examples, 'asOf has no example date')
})

t.test('the service serves its problem catalogue, redirects / to the docs, and titles Swagger UI', async (t) => {
  const { app } = await buildTestApp(t)
  for (const code of Object.keys(PROBLEM_KINDS)) {
    const page = await app.inject({ method: 'GET', url: `/problems/${code}` })
    t.equal(page.statusCode, 200, code)
    t.match(page.headers['content-type'], /^text\/html/)
    t.match(page.body, new RegExp(`/problems/${code}`))
    t.match(page.body, /What it means[\s\S]+What to do/)
  }
  const index = await app.inject({ method: 'GET', url: '/problems' })
  t.equal(index.statusCode, 200)
  t.equal(index.body.match(/<li>/g)?.length, Object.keys(PROBLEM_KINDS).length, 'the index lists every type')
  const unknown = await app.inject({ method: 'GET', url: '/problems/no-such-problem' })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.headers['content-type'], /application\/problem\+json/)

  const root = await app.inject({ method: 'GET', url: '/' })
  t.equal(root.statusCode, 302)
  t.equal(root.headers.location, '/docs')

  const ui = await app.inject({ method: 'GET', url: '/docs/' })
  t.match(ui.body, /<title>Repayment plans — API<\/title>/)
  const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
  const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(initializer.body)?.[1]
  t.ok(logo, 'a logo replaces the default one')
  const svg = Buffer.from(logo ?? '', 'base64').toString()
  t.match(svg, /Repayment plans/, 'the top bar shows the service name')
  t.notMatch(svg, /fastify/i, 'not the Fastify logo')
})
