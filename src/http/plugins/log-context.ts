import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { trace } from '@opentelemetry/api'

// W3C Trace Context: version 00, 32 hex trace id, 16 hex parent id, 2 hex flags; all-zero ids are invalid.
const TRACEPARENT = /^00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/

/** The trace id of a request: OpenTelemetry's active span when tracing is on, else a valid `traceparent`'s. */
export function traceIdOf (traceparent: string | string[] | undefined): string | undefined {
  const active = trace.getActiveSpan()?.spanContext()
  if (active !== undefined && trace.isSpanContextValid(active)) return active.traceId
  return typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim())?.[1] : undefined
}

/**
 * Every log line of a request carries its `requestId` (Fastify's label) and `traceId` (both bound
 * by the server's childLoggerFactory, see server-options), and its `tenantId` once the API key is
 * known: from then on, the request's and the reply's lines ("request completed") alike.
 */
export default fp(async function logContext (app: FastifyInstance) {
  app.addHook('preValidation', async (request, reply) => {
    const tenant = (request as { tenant?: { tenantId: string } | null }).tenant
    if (tenant === null || tenant === undefined) return
    request.log = request.log.child({ tenantId: tenant.tenantId })
    reply.log = request.log
  })
}, { name: 'log-context' })
