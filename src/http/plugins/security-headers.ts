import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

/**
 * Helmet's headers on every response, errors included, with a CSP strict enough for an API and
 * loose enough for Swagger UI (its assets are same-origin; it inlines styles and data: images).
 * API responses are never cached: they carry borrowers' data.
 */
export default fp(async function securityHeaders (app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"]
      }
    },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false
  })
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/docs/static/')) reply.header('cache-control', 'no-store')
  })
}, { name: 'security-headers' })
