import fp from 'fastify-plugin'
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { prepareProblem } from './problem-handler.js'
import { Problem, renderProblem } from '../problems.js'

const RETRY_AFTER_SECONDS = 2

// under-pressure sends whatever the handler returns; returning nothing lets the route run.
// (Its typings say void, its code sends a non-null result: hence the cast below.)
function shed (request: FastifyRequest, reply: FastifyReply, type: string): string | undefined {
  // Liveness must not fail under load, or an orchestrator would restart a busy but healthy process.
  if (request.url === '/health/live') return undefined
  request.log.warn({ pressure: type }, 'shedding load')
  const { body, headers } = renderProblem(new Problem('overloaded', 'the service is overloaded; retry after the Retry-After delay', {}, { 'retry-after': String(RETRY_AFTER_SECONDS) }))
  return prepareProblem(request, reply, body, headers)
}

/** Sheds load with 503 + Retry-After while the event loop lags or the heap is too full. */
export default fp(async function loadShedding (app: FastifyInstance) {
  await app.register(underPressure, {
    maxEventLoopDelay: app.config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: app.config.MAX_HEAP_USED_MB * 1024 * 1024,
    retryAfter: RETRY_AFTER_SECONDS,
    pressureHandler: shed as unknown as FastifyUnderPressureOptions['pressureHandler']
  })
}, { name: 'load-shedding' })
