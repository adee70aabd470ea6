import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Policy } from '../../domain/index.js'
import { authProblems, invalidInput, notFound, notJson, problem, tooLarge } from '../schemas/problem.js'
import { PolicyListSchema, PolicyNameParams, PolicyRulesSchema, type PolicyView } from '../../schemas/policy.js'
import { Type } from 'typebox'

const PolicyRef = Type.Unsafe<PolicyView>({ $ref: 'Policy#' })

export default async function policyRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/policies', {
    schema: { operationId: 'listPolicies', tags: ['policies'], summary: "The latest version of each of the tenant's policies (standard included)", response: { 200: PolicyListSchema, ...authProblems } }
  }, async (request) => ({ items: await app.policies.list(request.tenant.tenantId) }))

  app.get('/policies/:name', {
    schema: { operationId: 'getPolicy', tags: ['policies'], summary: 'The latest version of one policy', params: PolicyNameParams, response: { 200: PolicyRef, 400: invalidInput, 404: notFound('policy', '/v1/policies/cautious'), ...authProblems } }
  }, async (request) => await app.policies.find(request.tenant.tenantId, request.params.name))

  app.put('/policies/:name', {
    schema: {
      operationId: 'putPolicy',
      tags: ['policies'],
      summary: 'Create or change a policy (every change is a new version)',
      description: 'Send the whole rule set (GET /v1/policies/standard gives a starting point under `rules`). Quotes record the policy name and version they used; earlier versions are kept.',
      params: PolicyNameParams,
      body: PolicyRulesSchema,
      response: { 200: PolicyRef, 400: problem('invalid input; `errors` lists each bad field', 'validation', 'malformed-json', 'invalid-policy'), 413: tooLarge, 415: notJson, ...authProblems }
    }
  }, async (request) => await app.policies.save(request.tenant.tenantId, request.params.name, request.body as Policy))
}
