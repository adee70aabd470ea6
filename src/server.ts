// First: tracing (when configured) must be in place before pg and Fastify load.
import { stopTelemetry } from './telemetry.js'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import { pino, type Logger } from 'pino'
import app from './app.js'
import { loadConfig, type Config } from './config.js'
import { closePool, createPool, poolSettings } from './db/pool.js'
import { loggerOptions, serverOptions } from './http/server-options.js'
import { drainThenClose } from './http/plugins/drain.js'
import { migrate } from './db/migrate.js'
import { databaseSchemaVersion, expectedSchemaVersion } from './db/schema-version.js'
import { createTenant, ensureTenantWithKey, findTenantByName } from './db/tenants-repository.js'
import type pg from 'pg'
import { countEndpoints } from './db/webhooks-repository.js'
import { describeKey } from './auth/api-keys.js'

async function main (): Promise<void> {
  let config = loadConfig()
  const log = pino(loggerOptions(config.LOG_LEVEL) as pino.LoggerOptions)
  let stopEmbedded: (() => Promise<void>) | undefined
  let connectionString = config.DATABASE_URL
  if (connectionString === undefined) {
    const { startEmbeddedDatabase } = await import('./db/embedded.js')
    const embedded = await startEmbeddedDatabase(config.DATA_DIR, config.EMBEDDED_PG_PORT, log)
    stopEmbedded = embedded.stop
    connectionString = embedded.connectionString
    try {
      const result = await migrate(connectionString)
      if (result.applied.length > 0) log.info({ migrations: result.applied }, 'applied migrations to the embedded database')
    } catch (err) {
      await embedded.stop()
      throw err
    }
  }

  const pool = createPool(poolSettings(config, connectionString), log)
  try {
    await checkDatabase(pool, connectionString)
    if (config.BOOTSTRAP_API_KEY !== undefined) await ensureTenantWithKey(pool, 'default', config.BOOTSTRAP_API_KEY)
    if (stopEmbedded !== undefined) await announceDemoKey(pool, config, log)
    if (config.WEBHOOK_ENCRYPTION_KEY === undefined) {
      if (stopEmbedded !== undefined) config = { ...config, WEBHOOK_ENCRYPTION_KEY: await embeddedWebhookKey(config) }
      else await checkWebhooksOff(pool, log)
    }
  } catch (err) {
    await pool.end()
    await stopEmbedded?.()
    throw err
  }

  const server = Fastify(serverOptions(config, log))
  await server.register(app, { config, pool })
  // Stop order: HTTP server (readiness off, serve SHUTDOWN_DELAY_MS, then drain in-flight
  // requests), then the pool, then the embedded server.
  closeWithGrace({ delay: config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err !== undefined) {
      log.error({ err }, 'shutting down after an error')
      await server.close()
    } else {
      log.info({ signal }, 'shutting down')
      await drainThenClose(server, config.SHUTDOWN_DELAY_MS)
    }
    await closePool(pool)
    await stopEmbedded?.()
    await stopTelemetry()
  })
  await server.listen({ port: config.PORT, host: config.HOST })
  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST
  log.info(`Swagger UI: http://${shown}:${config.PORT}/docs`)
}

async function checkDatabase (pool: pg.Pool, connectionString: string): Promise<void> {
  let version: number
  try {
    version = await databaseSchemaVersion(pool)
  } catch (err) {
    const url = new URL(connectionString)
    throw new Error(`cannot reach the database at ${url.hostname}:${url.port || 5432}${url.pathname}: ${(err as Error).message || (err as { code?: string }).code}`)
  }
  const expected = expectedSchemaVersion()
  if (version < expected) throw new Error(`the database schema is at version ${version} but this build needs ${expected}: run \`npm run migrate\` first`)
}

/** The embedded mode keeps its webhook encryption key beside its data, as it does its password. */
async function embeddedWebhookKey (config: Config): Promise<string> {
  const keyFile = path.resolve(config.DATA_DIR, 'webhook-encryption-key')
  if (existsSync(keyFile)) return (await readFile(keyFile, 'utf8')).trim()
  const key = randomBytes(32).toString('base64')
  await writeFile(keyFile, key + '\n', { mode: 0o600 })
  return key
}

/**
 * Without WEBHOOK_ENCRYPTION_KEY on an external database, webhooks are off (creation answers 503),
 * which keeps deployments that do not use them running. Stored endpoints, though, mean the key was
 * lost or forgotten: their deliveries would stall unnoticed, so the start is refused.
 */
async function checkWebhooksOff (pool: pg.Pool, log: Logger): Promise<void> {
  const endpoints = await countEndpoints(pool)
  if (endpoints > 0) throw new Error(`WEBHOOK_ENCRYPTION_KEY is unset but ${endpoints} webhook endpoint(s) are stored: set the key their secrets were encrypted with`)
  log.warn('webhooks are off: WEBHOOK_ENCRYPTION_KEY is unset (creating a webhook endpoint answers 503)')
}

/** Embedded mode is for trying the service: a demo tenant with a key kept beside the data. */
async function announceDemoKey (pool: pg.Pool, config: Config, log: Logger): Promise<void> {
  const keyFile = path.resolve(config.DATA_DIR, 'demo-api-key')
  let apiKey: string | undefined
  if (await findTenantByName(pool, 'demo') === undefined) {
    apiKey = (await createTenant(pool, 'demo')).apiKey
    await writeFile(keyFile, apiKey + '\n', { mode: 0o600 })
  } else if (existsSync(keyFile)) {
    apiKey = (await readFile(keyFile, 'utf8')).trim()
  }
  // The key itself never reaches the logs (they are shipped and kept): only its public prefix and where to read it.
  if (apiKey !== undefined) log.info({ keyPrefix: describeKey(apiKey).prefix, keyFile }, `demo tenant API key (embedded database only): ${describeKey(apiKey).prefix}… in ${keyFile}`)
}

main().catch((err: unknown) => {
  process.stderr.write(`repayment-plans: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
