import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams } from '../../schemas/common.js'
import { AsOfQuery } from '../../schemas/payment.js'
import { AcceptPlanSchema, CancelPlanSchema, IdempotencyHeaders, PlanListQuery, PlanListSchema, PlanRef } from '../../schemas/plan.js'
import { authProblems, invalidBody, invalidInput, notFound, notJson, problem, tooLarge } from '../schemas/problem.js'

export default async function planRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.post('/plans', {
    schema: {
      operationId: 'acceptPlan',
      tags: ['plans'],
      summary: 'Accept one option of a quote as the repayment plan (exactly once per Idempotency-Key)',
      description: 'Take `quoteId` = the `id` returned by POST /v1/quotes and `optionId` = one of its `options[].id` (for example its `recommendedOptionId`). The plan is built from the stored quote. Send a fresh `Idempotency-Key` per acceptance: a retry with the same key and body returns the first answer again (with `Idempotent-Replayed: true`), including a refusal; the same key with another body is 422; a duplicate arriving while the first is still running waits for it and replays (or gets 409 if it takes longer than the lock timeout). Keys are kept for IDEMPOTENCY_RETENTION_HOURS (≥ 24 h). A loan has at most one active plan: cancel it to accept another option.',
      headers: IdempotencyHeaders,
      body: AcceptPlanSchema,
      response: { 201: PlanRef, 400: invalidBody, 404: notFound('quote', '/v1/plans'), 409: problem('conflict: the loan has an active plan, or an acceptance with the same Idempotency-Key or of the same loan is still in flight', 'active-plan-exists', 'idempotency-key-in-flight', 'loan-acceptance-in-flight'), 410: problem('the quote has expired', 'quote-expired'), 413: tooLarge, 415: notJson, 422: problem('cannot be processed: unknown option, a first payment already past, or an Idempotency-Key reused with another body', 'unknown-option', 'schedule-in-past', 'idempotency-key-reused'), ...authProblems }
    }
  }, async (request, reply) => {
    const accepted = await app.plans.accept(request.tenant.tenantId, request.headers['idempotency-key'], request.body)
    if (accepted.replayed) reply.header('idempotent-replayed', 'true')
    // Sent as the stored text, so a replay is byte-identical to the first answer.
    return await reply.code(201).header('location', `/v1/plans/${accepted.planId}`).type('application/json; charset=utf-8').send(accepted.body as never)
  })

  app.get('/plans', {
    schema: {
      operationId: 'listPlans',
      tags: ['plans'],
      summary: "The tenant's plans, newest first, filtered by loan and status, keyset-paginated",
      querystring: PlanListQuery,
      response: { 200: PlanListSchema, 400: problem('invalid input; `errors` lists each bad field', 'validation', 'invalid-cursor'), ...authProblems }
    }
  }, async (request) => await app.plans.list(request.tenant.tenantId, request.query))

  app.get('/plans/:id', {
    schema: {
      operationId: 'getPlan',
      tags: ['plans'],
      summary: 'One plan with its schedule and where it stands: paid, outstanding, arrears, missed installments',
      description: "Evaluated as of today in the policy's time zone, or as of `asOf` (read-only, for audits): the same evaluation the sweep persists for that date.",
      params: IdParams('plan'),
      querystring: AsOfQuery,
      response: { 200: PlanRef, 400: invalidInput, 404: notFound('plan', '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60'), ...authProblems }
    }
  }, async (request) => await app.plans.get(request.tenant.tenantId, request.params.id, request.query.asOf))

  app.post('/plans/:id/cancel', {
    schema: {
      operationId: 'cancelPlan',
      tags: ['plans'],
      summary: 'Cancel an active plan (cancelling again returns the plan unchanged); the loan can then take a new plan',
      params: IdParams('plan'),
      body: CancelPlanSchema,
      response: { 200: PlanRef, 400: invalidBody, 404: notFound('plan', '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60/cancel'), 413: tooLarge, 415: notJson, ...authProblems }
    }
  }, async (request) => await app.plans.cancel(request.tenant.tenantId, request.params.id, request.body.reason))
}
