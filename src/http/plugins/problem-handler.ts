import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { databaseFailure } from '../../db/errors.js'
import { STATUS_CODES } from 'node:http'
import { capErrors, isProblem, MAX_PROBLEM_ERRORS, problemType, renderProblem, type FieldError, type ProblemFields } from '../problems.js'

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8'

// Fastify's own client errors, mapped to a stable type and a message that leaks no internals.
const FRAMEWORK_ERRORS: Record<string, { slug: string, title: string, detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { slug: 'payload-too-large', title: 'Payload Too Large', detail: 'the request body exceeds the size limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { slug: 'unsupported-media-type', title: 'Unsupported Media Type', detail: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { slug: 'bad-request', title: 'Bad Request', detail: 'the Content-Length header does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { slug: 'malformed-json', title: 'Bad Request', detail: 'the JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { slug: 'malformed-json', title: 'Bad Request', detail: 'the body is not valid JSON, or it has a forbidden key such as __proto__' },
  FST_ERR_CTP_EMPTY_TYPE: { slug: 'unsupported-media-type', title: 'Unsupported Media Type', detail: 'the Content-Type header is empty' }
}

/** Sets status, headers and content type on the reply and returns the problem document to send. */
export function prepareProblem (request: FastifyRequest, reply: FastifyReply, body: ProblemFields, headers: Record<string, string> = {}): string {
  reply.code(body.status).headers(headers).type(PROBLEM_JSON)
  const { type, title, status, detail, ...extensions } = capErrors(body)
  // `instance` right after `detail`, before any extension: the order replays were first stored in.
  return JSON.stringify({ type, title, status, detail, instance: request.url.split('?')[0], ...extensions })
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, body: ProblemFields, headers: Record<string, string> = {}): FastifyReply {
  return reply.send(prepareProblem(request, reply, body, headers))
}

export function validationErrors (error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body'
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>
    let path = `/${context}${v.instancePath}`
    let message = v.message ?? 'is invalid'
    if (typeof params.missingProperty === 'string') {
      path += `/${params.missingProperty}`
      message = 'is required'
    } else if (typeof params.additionalProperty === 'string') {
      path += `/${params.additionalProperty}`
      message = 'is not a known field'
    }
    return { path, message }
  })
}

export default fp(async function problemHandler (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // The client hung up before its request was read: nobody to answer, nothing failed here.
    if (request.raw.aborted || (error.code === 'ECONNRESET' && error.message === 'aborted')) {
      request.log.debug({ err: { message: error.message, code: error.code } }, 'client closed the connection before the request was read')
      return reply.code(400).send()
    }
    // PostgreSQL's codes are read in src/db: here they arrive as domain errors already.
    const known = isProblem(error) ? error : databaseFailure(error)
    if (known !== undefined) {
      const { body, headers, replayed } = renderProblem(known)
      if (replayed) reply.header('idempotent-replayed', 'true')
      if (body.status >= 500) request.log.warn({ err: { message: error.message, code: error.code } }, body.type === '/problems/service-unavailable' ? 'database unavailable' : 'request failed')
      else if (known !== error) request.log.warn({ err: { message: error.message, code: error.code } }, 'input rejected by the database')
      return sendProblem(request, reply, body, headers)
    }
    if (error.validation !== undefined) {
      const errors = validationErrors(error)
      const shown = errors.slice(0, MAX_PROBLEM_ERRORS).map((e) => `${e.path} ${e.message}`).join('; ')
      const detail = errors.length > MAX_PROBLEM_ERRORS ? `${shown}; and ${errors.length - MAX_PROBLEM_ERRORS} more` : shown
      return sendProblem(request, reply, { type: problemType('validation'), title: 'Bad Request', status: 400, detail, errors })
    }
    const framework = error.code !== undefined ? FRAMEWORK_ERRORS[error.code] : undefined
    if (framework !== undefined) {
      const status = error.statusCode ?? 400
      return sendProblem(request, reply, { type: problemType(framework.slug), title: framework.title, status, detail: framework.detail })
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Other framework 4xx (e.g. a plugin's rejection): keep its status, not its internals.
      return sendProblem(request, reply, { type: 'about:blank', title: STATUS_CODES[error.statusCode] ?? 'Bad Request', status: error.statusCode, detail: error.message.replace(/^FST_\w+: /, '') })
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(request, reply, { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred; it has been logged' })
  })

  // Every route's path pattern and methods, so a known path with another method is a 405 with Allow.
  const routes: Array<{ pattern: RegExp, methods: string[] }> = []
  app.addHook('onRoute', (route) => {
    const pattern = routePattern(route.url ?? route.path)
    const methods = [route.method].flat().map((m) => m.toUpperCase())
    const known = routes.find((r) => r.pattern.source === pattern.source)
    if (known === undefined) routes.push({ pattern, methods })
    else known.methods.push(...methods.filter((m) => !known.methods.includes(m)))
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    const allowed = routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods)
    // (A route that exists for this method may still end here: a static file that is not there.)
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return sendProblem(request, reply, {
        type: problemType('method-not-allowed'), title: 'Method Not Allowed', status: 405, detail: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`
      }, { allow: [...new Set(allowed)].join(', ') })
    }
    return sendProblem(request, reply, { type: problemType('not-found'), title: 'Not Found', status: 404, detail: `no route for ${request.method} ${path}` })
  })
}, { name: 'problem-handler' })

/** A route path (`/v1/plans/:id/cancel`, `/docs/static/*`) as a regular expression over request paths. */
export function routePattern (path: string): RegExp {
  const source = path.split('/').map((segment) => segment === '*'
    ? '.*'
    : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')
  return new RegExp(`^${source}$`)
}
