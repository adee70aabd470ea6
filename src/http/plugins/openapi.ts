import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export const API_VERSION = '1.0.0'

/** OpenAPI document from the route schemas; Swagger UI at /docs, the document at /openapi.json. */
export default fp(async function openapi (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Repayment plans',
        version: API_VERSION,
        description: 'Fair, affordable repayment plans for delinquent consumer loans. Quote a loan (penalty, installment, deferral and settlement options with schedules, APR and an affordability verdict), accept one option as a plan (exactly once, with an Idempotency-Key), then follow the plan.\n\nAuthenticate with `Authorization: Bearer <API key>` (use the Authorize button). Money is a decimal string in major units with exactly the currency\'s minor digits; rates are decimal fractions ("0.18" = 18 % a year); dates are YYYY-MM-DD. Errors are application/problem+json (RFC 9457).'
      },
      tags: [
        { name: 'quotes', description: 'Penalty and repayment options for a delinquent loan' },
        { name: 'plans', description: 'Accepted repayment plans' },
        { name: 'policies', description: 'Lending policy: penalty, options and affordability rules' },
        { name: 'tenants', description: 'The calling lender' },
        { name: 'health', description: 'Liveness and readiness' }
      ],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key issued by `npm run tenants -- create <name>`' } }
      },
      security: [{ bearerAuth: [] }]
    },
    refResolver: {
      // Components are named after their schema $id, so the document reads "Problem", not "def-0".
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: false, tryItOutEnabled: true, displayRequestDuration: true } })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
