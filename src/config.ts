import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

// One place for every setting; validated at start so bad values fail fast with one line.
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './.data' }),
  EMBEDDED_PG_PORT: Type.Integer({ minimum: 1024, maximum: 65535, default: 54329 }),
  LOG_LEVEL: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'),
    Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ], { default: 'info' }),
  PG_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  PG_CONNECTION_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 1000 }),
  PG_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 5000 }),
  PG_LOCK_TIMEOUT_MS: Type.Integer({ minimum: 10, maximum: 600000, default: 2000 }),
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 10000 }),
  PG_CLIENT_CONNECTION_CHECK_MS: Type.Integer({ minimum: 0, maximum: 600000, default: 1000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 15000 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 10485760, default: 65536 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 120000, default: 10000 }),
  // After SIGTERM, readiness is 503 but requests are served this long, so load balancers stop routing first.
  SHUTDOWN_DELAY_MS: Type.Integer({ minimum: 0, maximum: 120000, default: 0 }),
  // Cost units per tenant per minute: 1 a request, +1 per 50 schedule rows a quote computes.
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 100000000, default: 6000 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60000, default: 1000 }),
  MAX_HEAP_USED_MB: Type.Integer({ minimum: 64, maximum: 65536, default: 1024 }),
  CACHE_TTL_MS: Type.Integer({ minimum: 0, maximum: 3600000, default: 60000 }),
  IDEMPOTENCY_RETENTION_HOURS: Type.Integer({ minimum: 24, maximum: 8760, default: 48 }),
  SWEEP_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 86400000, default: 600000 }),
  // Quotes nobody accepted are deleted this many days after they expire (accepted ones stay with their plans).
  QUOTE_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 7 }),
  // Events (GET /v1/events, and the webhook deliveries of them) are kept this many days.
  EVENT_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  // Quotes + plans one tenant may keep stored; past it, storing requests get 429 storage-quota-exceeded. 0 = no quota.
  TENANT_STORAGE_QUOTA_ROWS: Type.Integer({ minimum: 0, maximum: 1000000000, default: 1000000 }),
  // Failed authentications one client address may make a minute before 429 (0 = no limit).
  AUTH_FAILURES_PER_MINUTE: Type.Integer({ minimum: 0, maximum: 1000000, default: 60 }),
  // How long a key prefix that no active key has is remembered, so it is not looked up again (0 = never).
  UNKNOWN_KEY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 3600000, default: 30000 }),
  // Fastify trustProxy: "false", "true", a hop count, or comma-separated proxy addresses/CIDRs.
  TRUST_PROXY: Type.String({ pattern: '^(true|false|[0-9]+|[0-9a-fA-F.:/, ]+)$', default: 'false' }),
  BOOTSTRAP_API_KEY: Type.Optional(Type.String({ minLength: 32, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
  // Observability: /metrics is served only when one of these two is set (never public by default).
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  METRICS_HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
  // Tracing is off unless an OTLP/HTTP endpoint is set (the OpenTelemetry SDK reads its other OTEL_* variables itself).
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  OTEL_SERVICE_NAME: Type.String({ minLength: 1, default: 'repayment-plans' }),
  // Webhooks. Signing secrets are stored encrypted (AES-256-GCM) under this key: base64 of 32 random bytes.
  // Unset: the embedded mode keeps a generated one under DATA_DIR; with DATABASE_URL, webhooks are off (see README).
  WEBHOOK_ENCRYPTION_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' })),
  // Endpoint URLs may be http:// (dev and tests only).
  WEBHOOK_ALLOW_HTTP: Type.Boolean({ default: false }),
  // Endpoints may resolve to private, loopback, link-local, CGNAT or metadata addresses (dev and tests only).
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: Type.Boolean({ default: false }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 10000 }),
  // How often each replica's delivery worker looks for due deliveries; 0 = this replica delivers nothing.
  WEBHOOK_POLL_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 600000, default: 250 }),
  WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1000, default: 32 }),
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: Type.Integer({ minimum: 1, maximum: 100, default: 4 }),
  // Comma-separated delays (ms) after each failed attempt, then failed; empty = 5 s, 30 s, 2 min, 10 min, 1 h, then 6 h for ~3 days.
  WEBHOOK_RETRY_SCHEDULE_MS: Type.String({ pattern: '^([0-9]{1,10}(,[0-9]{1,10})*)?$', default: '' })

})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {}

export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  try {
    // Empty strings mean "unset" so `DATABASE_URL=` in a .env file picks the embedded default.
    const data = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''))
    return envSchema<Config>({ schema: ConfigSchema, data, dotenv: false })
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${(err as Error).message}`)
  }
}
