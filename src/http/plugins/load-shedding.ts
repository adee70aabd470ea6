import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import { sendProblem } from './problem-handler.js'
import { problemType } from '../problems.js'

/** Sheds load with 503 + Retry-After while the event loop lags or the heap is too full. */
export default fp(async function loadShedding (app: FastifyInstance) {
  const retryAfter = 2
  await app.register(underPressure, {
    maxEventLoopDelay: app.config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: app.config.MAX_HEAP_USED_MB * 1024 * 1024,
    retryAfter,
    pressureHandler: (request, reply, type) => {
      // Liveness must not fail under load, or an orchestrator would restart a busy but healthy process.
      if (request.url === '/health/live') return
      request.log.warn({ pressure: type }, 'shedding load')
      sendProblem(request, reply, {
        type: problemType('overloaded'), title: 'Service Unavailable', status: 503, detail: 'the service is overloaded; retry after the Retry-After delay'
      }, { 'retry-after': String(retryAfter) })
    }
  })
}, { name: 'load-shedding' })
