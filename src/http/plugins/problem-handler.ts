import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { databaseFailure } from '../../db/errors.js'
import { isProblem, problemType, renderProblem, type FieldError, type ProblemFields } from '../problems.js'

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
  const { type, title, status, detail, ...extensions } = body
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
      const detail = errors.map((e) => `${e.path} ${e.message}`).join('; ')
      return sendProblem(request, reply, { type: problemType('validation'), title: 'Bad Request', status: 400, detail, errors })
    }
    const framework = error.code !== undefined ? FRAMEWORK_ERRORS[error.code] : undefined
    if (framework !== undefined) {
      const status = error.statusCode ?? 400
      return sendProblem(request, reply, { type: problemType(framework.slug), title: framework.title, status, detail: framework.detail })
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Other framework 4xx (e.g. a plugin's rejection): keep its status, not its internals.
      return sendProblem(request, reply, { type: 'about:blank', title: 'Bad Request', status: error.statusCode, detail: error.message.replace(/^FST_\w+: /, '') })
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(request, reply, { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred; it has been logged' })
  })

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, {
    type: problemType('not-found'), title: 'Not Found', status: 404, detail: `no route for ${request.method} ${request.url.split('?')[0]}`
  }))
}, { name: 'problem-handler' })
