import { randomUUID } from 'node:crypto'
import { LogController, type FastifyHttpOptions, type FastifyServerOptions } from 'fastify'
import type { Server } from 'node:http'
import type { Config } from '../config.js'
import { buildValidator } from './validation.js'
import { sendProblem } from './plugins/problem-handler.js'
import { problemType } from './problems.js'
import { traceIdOf } from './plugins/log-context.js'
import { clientErrorHandler } from './client-errors.js'

const MAX_PARAM_LENGTH = 500

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
export function serverOptions (config: Config, logger?: FastifyServerOptions['loggerInstance'] | false): FastifyHttpOptions<Server> {
  const logging: FastifyServerOptions = logger === undefined || logger === false
    ? { logger: logger === false ? false : loggerOptions(config.LOG_LEVEL) }
    : { loggerInstance: logger }
  return {
    ...logging,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Fastify accepts a hop count at run time; its typings omit it.
    trustProxy: trustProxy(config.TRUST_PROXY) as string | boolean,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Node checks request deadlines every connectionsCheckingInterval (30 s by default): checked
    // often enough, a body trickling in byte by byte is cut at REQUEST_TIMEOUT_MS, not much later.
    http: {
      headersTimeout: config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.REQUEST_TIMEOUT_MS / 10)))
    },
    connectionTimeout: config.REQUEST_TIMEOUT_MS + 5000,
    keepAliveTimeout: 72000,
    // Requests arriving while the server closes get a problem+json 503 from plugins/drain.ts.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // A request's lines, from "incoming request" on, carry the W3C trace id it came with.
    childLoggerFactory: (logger, bindings, options, rawRequest) => {
      const traceId = traceIdOf(rawRequest.headers.traceparent)
      return logger.child(traceId === undefined ? bindings : { ...bindings, traceId }, options)
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: {} },
    // The cast bridges Fastify's Ajv-specific factory type; the contract is the documented one.
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: MAX_PARAM_LENGTH },
    // Errors raised by the router before any route (undecodable URLs) are problems too.
    frameworkErrors: (error, request, reply) => {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        sendProblem(request, reply, { type: problemType('uri-too-long'), title: 'URI Too Long', status: 414, detail: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` })
      } else {
        sendProblem(request, reply, { type: problemType('bad-request'), title: 'Bad Request', status: 400, detail: 'the URL cannot be decoded' })
      }
    },
    // Parser-level errors (malformed HTTP, 408, 431) are problem+json too.
    clientErrorHandler
  }
}

/** TRUST_PROXY as Fastify's trustProxy: whether, how many hops, or which proxies to believe X-Forwarded-For from. */
export function trustProxy (setting: string): boolean | number | string {
  if (setting === 'true') return true
  if (setting === 'false') return false
  if (/^[0-9]+$/.test(setting)) return Number(setting)
  return setting.split(',').map((s) => s.trim()).filter((s) => s !== '').join(',')
}
