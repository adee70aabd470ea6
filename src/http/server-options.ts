import { randomUUID } from 'node:crypto'
import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config.js'
import { buildValidator } from './validation.js'
import { sendProblem } from './plugins/problem-handler.js'
import { problemType } from './problems.js'

// Borrower data and credentials never reach the logs.
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
  '*.monthlyIncome', '*.monthlyObligations', '*.availableFunds', '*.apiKey', '*.password'
]

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/

export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Only the path is logged: a query string may carry secrets or personal data.
      req: (req: { method: string, url: string, id: string }) => ({ method: req.method, path: req.url.split('?')[0], requestId: req.id })
    }
  }
}

/** The Fastify server's options: limits, timeouts, request ids, validation and logging. */
export function serverOptions (config: Config, logger?: FastifyServerOptions['loggerInstance'] | false): FastifyServerOptions {
  const logging: FastifyServerOptions = logger === undefined || logger === false
    ? { logger: logger === false ? false : loggerOptions(config.LOG_LEVEL) }
    : { loggerInstance: logger }
  return {
    ...logging,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS + 5000,
    keepAliveTimeout: 72000,
    // Requests arriving while the server closes get a problem+json 503 from plugins/drain.ts.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: {} },
    // The cast bridges Fastify's Ajv-specific factory type; the contract is the documented one.
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    // Errors raised by the router before any route (undecodable URLs) are problems too.
    frameworkErrors: (_error, request, reply) => {
      sendProblem(request, reply, { type: problemType('bad-request'), title: 'Bad Request', status: 400, detail: 'the URL cannot be decoded' })
    }
  }
}
