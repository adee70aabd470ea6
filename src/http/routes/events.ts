import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { EventListQuery, EventListSchema } from '../../schemas/event.js'
import { EVENT_CATALOGUE_EXAMPLE } from '../schemas/event-examples.js'
import { authProblems, problem } from '../schemas/problem.js'

export default async function eventRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/events', {
    schema: {
      operationId: 'listEvents',
      tags: ['events'],
      summary: "The tenant's events in one total order, for pollers (keyset: pass `nextCursor` back as `after`)",
      description: 'Every change to a plan is an event, written in the same transaction as the change: plan.accepted, plan.cancelled, plan.payment_recorded, plan.payment_reversed, plan.installment_missed, plan.broken, plan.completed. Events are immutable and kept EVENT_RETENTION_DAYS. A poller that stores `nextCursor` and calls again with `after` sees every event once, in order: an event is listed only once every transaction that started before it has ended, so none can appear behind a cursor later. `type` filters to one type (the cursor still moves past the others).',
      querystring: EventListQuery,
      // The example is the event catalogue: one event of each type.
      response: { 200: { ...EventListSchema, examples: [EVENT_CATALOGUE_EXAMPLE] }, 400: problem('invalid input or cursor; `errors` lists each bad field', 'validation', 'invalid-cursor'), ...authProblems }
    }
  }, async (request) => await app.events.list(request.tenant.tenantId, request.query))
}
