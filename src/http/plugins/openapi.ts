import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'

export const SERVICE_NAME = 'Repayment plans'

/** The API's version is the package's: one number for a release (src/ and dist/ sit two levels below the root). */
export const API_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version

// The top bar of Swagger UI shows the service's name instead of a logo.
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="260" height="40" viewBox="0 0 260 40"><text x="0" y="28" font-family="sans-serif" font-size="24" font-weight="bold" fill="#ffffff">${SERVICE_NAME}</text></svg>`

/** OpenAPI document from the route schemas; Swagger UI at /docs, the document at /openapi.json. */
export default fp(async function openapi (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: SERVICE_NAME,
        version: API_VERSION,
        description: 'Fair, affordable repayment plans for delinquent consumer loans. Quote a loan (penalty, installment, deferral and settlement options with schedules, APR and an affordability verdict), accept one option as a plan (exactly once, with an Idempotency-Key), then follow the plan.\n\nAuthenticate with `Authorization: Bearer <API key>` (use the Authorize button). Money is a decimal string in major units with exactly the currency\'s minor digits; rates are decimal fractions ("0.18" = 18 % a year); dates are YYYY-MM-DD. Errors are application/problem+json (RFC 9457).'
      },
      servers: [
        { url: '/', description: 'the server this document is served from' },
        { url: 'http://localhost:3000', description: 'a local `npm start` or `docker compose up`' }
      ],
      tags: [
        { name: 'quotes', description: 'Penalty and repayment options for a delinquent loan' },
        { name: 'plans', description: 'Accepted repayment plans' },
        { name: 'payments', description: 'Money received against a plan, reversals, payoff' },
        { name: 'policies', description: 'Lending policy: penalty, options and affordability rules' },
        { name: 'events', description: 'Every change to a plan, for pollers' },
        { name: 'webhooks', description: 'Signed deliveries of events to your endpoints (Standard Webhooks)' },
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
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The key is not kept in the browser's storage: an analyst authorizes again after a reload.
    uiConfig: { persistAuthorization: false, tryItOutEnabled: true, displayRequestDuration: true },
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO), href: '/docs', target: '_self' },
    theme: { title: `${SERVICE_NAME} — API` }
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
