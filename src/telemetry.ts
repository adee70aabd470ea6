// OpenTelemetry, imported first by src/server.ts so that it starts before pg and Fastify load.
// Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; then spans of HTTP requests (node:http and
// @fastify/otel) and of PostgreSQL queries (pg, with sqlcommenter comments carrying the trace
// context on unnamed statements) go to <endpoint>/v1/traces as OTLP/HTTP JSON. Everything is
// loaded with a synchronous require, only when enabled: no top-level await (modules imported after
// this one would start evaluating before the SDK is up) and no cost when tracing is off.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

let shutdown: (() => Promise<void>) | undefined

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
if (endpoint !== undefined && /^https?:\/\//.test(endpoint)) {
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node')
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http')
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg')
  const FastifyOtelInstrumentation = require('@fastify/otel') as typeof import('@fastify/otel').default
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'repayment-plans',
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation(),
      new PgInstrumentation({ addSqlCommenterCommentToQueries: true, ignoreConnectSpans: true }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true })
    ]
  })
  sdk.start()
  // pg is CommonJS, and its ESM entry imports the same file: required now, after the hooks are in
  // place, it is patched in the module cache that the later `import pg from 'pg'` reads.
  require('pg')
  shutdown = async () => { await sdk.shutdown() }
}

/** Flushes and stops tracing (a no-op when it is off). */
export async function stopTelemetry (): Promise<void> {
  await shutdown?.()
}
