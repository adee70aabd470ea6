import fp from 'fastify-plugin'
import helmet from 'helmet'
import type { HelmetOptions } from 'helmet'
import type { FastifyInstance } from 'fastify'

/**
 * Helmet's headers on every response, errors included, with a CSP strict enough for an API and
 * loose enough for Swagger UI (its assets are same-origin; it inlines styles and data: images).
 * API responses are never cached: they carry borrowers' data.
 */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
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
}

/**
 * The headers helmet's middleware sets, recorded once. With static options (no CSP nonces) they
 * are the same on every response; @fastify/helmet rebuilt the middleware from the options on
 * every request, a measurable share of a quote's server time (bench/README.md).
 */
export function helmetHeaders (options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader (name: string, value: string | number | readonly string[]) { headers[name.toLowerCase()] = String(value) },
    removeHeader (name: string) { Reflect.deleteProperty(headers, name.toLowerCase()) }
  }
  // Helmet 8 throws on bad options while building the middleware, so a mistake fails start-up.
  helmet(options)({} as never, recorder as never, () => {})
  return headers
}

export default fp(async function securityHeaders (app: FastifyInstance) {
  const headers = helmetHeaders(HELMET_OPTIONS)
  app.addHook('onRequest', (_request, reply, done) => { reply.headers(headers); done() })
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/docs/static/')) reply.header('cache-control', 'no-store')
  })
}, { name: 'security-headers' })
