import { readFile } from 'node:fs/promises'
import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { openapiDocument } from '../../src/openapi-document.js'
import { buildTestApp } from '../helpers/app.js'

const committedPath = new URL('../../openapi/openapi.json', import.meta.url)

t.test('the committed OpenAPI document matches what the routes produce', async (t) => {
  const committed = await readFile(committedPath, 'utf8')
  const generated = await openapiDocument()
  t.ok(committed === generated, 'openapi/openapi.json is stale: run `npm run openapi` and commit the result')
})

t.test('the OpenAPI document is valid OpenAPI 3.1 with named components and the bearer scheme', async (t) => {
  const doc = JSON.parse(await readFile(committedPath, 'utf8'))
  await SwaggerParser.validate(structuredClone(doc))
  t.equal(doc.openapi, '3.1.0')
  t.ok(doc.components.schemas.Problem, 'Problem is a named component')
  t.same(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: doc.components.securitySchemes.bearerAuth.description })
  t.same(doc.paths['/health/live'].get.security, [], 'health needs no key')
  t.notOk(Object.keys(doc.components.schemas).some((name: string) => name.startsWith('def-')), 'every component has a name')
})

t.test('the running service serves the document and Swagger UI', async (t) => {
  const { app } = await buildTestApp(t)
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(doc.statusCode, 200)
  t.equal(doc.json().info.title, 'Repayment plans')
  const ui = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(ui.statusCode, 200)
  t.match(ui.body, /swagger-ui/i)
})
