import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams } from '../../schemas/common.js'
import {
  AsOfQuery, PaymentListQuery, PaymentListSchema, PaymentParams, PaymentRef, PaymentResultSchema, PayoffSchema, RecordPaymentSchema, ReversePaymentSchema
} from '../../schemas/payment.js'
import { authProblems, invalidBody, invalidInput, notFound, notJson, problem, tooLarge } from '../schemas/problem.js'

const JSON_UTF8 = 'application/json; charset=utf-8'
const PLAN = '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60'
const planNotFound = notFound('plan', `${PLAN}/payments`)

export default async function paymentRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.post('/plans/:id/payments', {
    schema: {
      operationId: 'recordPayment',
      tags: ['payments'],
      summary: 'Record money received against a plan (exactly once per reference)',
      description: "Allocates the payment (installments oldest due first; within one, the policy's allocationOrder: fees, interest, principal by default) and answers with the payment, its allocation and where the plan stands today. `reference` is your own id of the money: posting it again with the same body replays the first answer (`Idempotent-Replayed: true`), with another body is 409. A payment may not exceed what settles the plan on `receivedOn` (GET …/payoff); exactly that amount completes the plan. Cancelled and broken plans take no payments.",
      params: IdParams('plan'),
      body: RecordPaymentSchema,
      response: {
        201: PaymentResultSchema,
        400: invalidBody,
        404: planNotFound,
        409: problem('the reference is recorded with another body, or the plan is cancelled or broken', 'payment-reference-conflict', 'plan-not-active'),
        413: tooLarge,
        415: notJson,
        422: problem('more than settles the plan on that date (`maxAmount`), or receivedOn before the acceptance or after today', 'overpayment', 'received-on-out-of-range'),
        ...authProblems
      }
    }
  }, async (request, reply) => {
    const answer = await app.servicing.record(request.tenant.tenantId, request.params.id, request.body)
    if (answer.replayed) reply.header('idempotent-replayed', 'true')
    // Sent as stored, so a replay is byte for byte the first answer.
    return await reply.code(201).type(JSON_UTF8).send(answer.body as never)
  })

  app.get('/plans/:id/payments', {
    schema: {
      operationId: 'listPayments',
      tags: ['payments'],
      summary: "A plan's payments, oldest booked first, keyset-paginated, each with its allocation as of today",
      params: IdParams('plan'),
      querystring: PaymentListQuery,
      response: { 200: PaymentListSchema, 400: problem('invalid input or cursor; `errors` lists each bad field', 'validation', 'invalid-cursor'), 404: planNotFound, ...authProblems }
    }
  }, async (request) => await app.servicing.payments(request.tenant.tenantId, request.params.id, request.query))

  app.get('/plans/:id/payments/:paymentId', {
    schema: {
      operationId: 'getPayment',
      tags: ['payments'],
      summary: 'One payment with its allocation as of today (null once reversed)',
      params: PaymentParams,
      response: { 200: PaymentRef, 400: invalidInput, 404: notFound('payment', `${PLAN}/payments/5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b`), ...authProblems }
    }
  }, async (request) => await app.servicing.payment(request.tenant.tenantId, request.params.id, request.params.paymentId))

  app.post('/plans/:id/payments/:paymentId/reversal', {
    schema: {
      operationId: 'reversePayment',
      tags: ['payments'],
      summary: 'Reverse a bounced or mistaken payment; later payments are reallocated as if it never happened',
      description: 'Reversing again replays the first answer (`Idempotent-Replayed: true`). Allowed on any plan, broken and cancelled included, for bookkeeping; a completed plan may reopen.',
      params: PaymentParams,
      body: ReversePaymentSchema,
      response: { 200: PaymentResultSchema, 400: invalidBody, 404: notFound('payment', `${PLAN}/payments/5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b/reversal`), 413: tooLarge, 415: notJson, ...authProblems }
    }
  }, async (request, reply) => {
    const answer = await app.servicing.reverse(request.tenant.tenantId, request.params.id, request.params.paymentId, request.body.reason)
    if (answer.replayed) reply.header('idempotent-replayed', 'true')
    return await reply.type(JSON_UTF8).send(answer.body as never)
  })

  app.get('/plans/:id/payoff', {
    schema: {
      operationId: 'getPayoff',
      tags: ['payments'],
      summary: 'The amount that settles the plan early on a date, with its parts',
      description: "unpaidPrincipal + unpaidInterestDue (installments due on or before asOf) + accruedInterest (the current period's interest earned to asOf under the plan's day count) + unpaidFees. A payment of exactly `amount` received on asOf completes the plan; the interest not yet earned is forgiven.",
      params: IdParams('plan'),
      querystring: AsOfQuery,
      response: { 200: PayoffSchema, 400: invalidInput, 404: notFound('plan', `${PLAN}/payoff`), 409: problem('the plan is cancelled or broken', 'plan-not-active'), ...authProblems }
    }
  }, async (request) => await app.servicing.payoff(request.tenant.tenantId, request.params.id, request.query.asOf))
}
