import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { PROBLEM_DESCRIPTIONS, problemIndexPage, problemPage } from '../problem-catalogue.js'
import type { ProblemCode } from '../problems.js'
import { SERVICE_NAME } from '../plugins/openapi.js'

const HTML = 'text/html; charset=utf-8'

/** GET / points at Swagger UI; each problem `type` URI (/problems/<code>) explains itself. */
export default async function docsRoutes (app: FastifyInstance) {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => await reply.redirect('/docs', 302))

  app.get('/problems', { schema: { hide: true } }, async (_request, reply) => await reply.type(HTML).send(problemIndexPage(SERVICE_NAME)))

  app.get('/problems/:code', {
    schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 64 }) }) }
  }, async (request, reply) => {
    const { code } = request.params as { code: string }
    // An unknown code falls through to the usual 404 problem.
    if (!Object.hasOwn(PROBLEM_DESCRIPTIONS, code)) return await reply.callNotFound()
    return await reply.type(HTML).send(problemPage(code as ProblemCode, SERVICE_NAME))
  })
}
