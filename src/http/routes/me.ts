import type { FastifyInstance } from 'fastify'
import { authProblems } from '../schemas/problem.js'
import { TenantSchema } from '../../schemas/tenant.js'

export default async function meRoutes (app: FastifyInstance) {
  app.get('/me', {
    schema: {
      operationId: 'getMe',
      tags: ['tenants'],
      summary: 'The tenant (lender) that the API key belongs to',
      response: { 200: TenantSchema, ...authProblems }
    }
  }, async (request) => request.tenant)
}
