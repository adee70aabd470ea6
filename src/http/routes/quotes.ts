import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams } from '../../schemas/common.js'
import { QuoteRef, QuoteRequestSchema } from '../../schemas/quote.js'
import { authProblems, invalidBody, invalidInput, notFound, notJson, problem, tooLarge } from '../schemas/problem.js'

// Quotes go out as their stored JSON (already serialized), so every read is byte-identical.
const JSON_UTF8 = 'application/json; charset=utf-8'

export default async function quoteRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.post('/quotes', {
    schema: {
      operationId: 'createQuote',
      tags: ['quotes'],
      summary: 'Quote a delinquent loan: penalty, repayment options, affordability, recommendation',
      description: 'Computes the penalty owed and every option the policy allows (installment plans, payment holidays, a settlement), each with its full schedule, total cost, APR and an affordability verdict against the borrower\'s income, and recommends the cheapest affordable one. The quote is stored: note its `id` and an option `id` (e.g. `recommendedOptionId`) to accept it with POST /v1/plans before `expiresAt`.',
      body: QuoteRequestSchema,
      response: { 201: QuoteRef, 400: invalidBody, 413: tooLarge, 415: notJson, 422: problem('cannot be processed: the policy does not exist', 'unknown-policy'), ...authProblems }
    }
  }, async (request, reply) => {
    const quote = await app.quotes.create(request.tenant.tenantId, request.body)
    return await reply.code(201).header('location', `/v1/quotes/${quote.id}`).type(JSON_UTF8).send(quote.body as never)
  })

  app.get('/quotes/:id', {
    schema: {
      operationId: 'getQuote',
      tags: ['quotes'],
      summary: 'A stored quote, exactly as it was first answered',
      params: IdParams('quote'),
      response: { 200: QuoteRef, 400: invalidInput, 404: notFound('quote', '/v1/quotes/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60'), ...authProblems }
    }
  }, async (request, reply) => {
    return await reply.type(JSON_UTF8).send(await app.quotes.get(request.tenant.tenantId, request.params.id) as never)
  })
}
