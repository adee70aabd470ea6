import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { problem } from '../schemas/problem.js'
import { Problem } from '../problems.js'

const HealthSchema = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false })

export default async function healthRoutes (app: FastifyInstance) {
  app.get('/health/live', {
    schema: { operationId: 'getLiveness', tags: ['health'], summary: 'Liveness: the process serves HTTP (never touches the database)', security: [], response: { 200: HealthSchema } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/health/ready', {
    schema: { operationId: 'getReadiness', tags: ['health'], summary: 'Readiness: the database answers and the replica is not shutting down', security: [], response: { 200: HealthSchema, 503: problem('the database is not reachable, or the replica is shutting down', 'service-unavailable', 'shutting-down') } }
  }, async () => {
    // Draining for shutdown: tell load balancers to stop routing here while requests are still served.
    if (app.drain.draining) throw new Problem('shutting-down', 'this replica is shutting down')
    try {
      await app.db.query('SELECT 1')
    } catch {
      throw new Problem('service-unavailable', 'the database is not reachable')
    }
    return { status: 'ok' as const }
  })
}
