import { pino } from 'pino'
import { loadConfig, type Config } from '../config.js'
import { createPool, poolSettings } from '../db/pool.js'
import { addApiKey, createTenant, findTenantByName, listApiKeys, listTenants, revokeKeys } from '../db/tenants-repository.js'
import type pg from 'pg'

const USAGE = `usage: node dist/cli/tenants.js <command>   (or: npm run -s tenants -- <command>)
  create <name>                  create a tenant; prints {"tenantId","name","keyId","apiKey"} once
  add-key <name>                 issue another key for a tenant (for rotation)
  list                           tenants with their keys: key ids, prefixes, creation and revocation dates
  revoke-key <name> <keyId>      revoke one key
  revoke-key <name> --all        revoke every key of the tenant
Uses DATABASE_URL; without it, the embedded database under DATA_DIR (started for the command if
\`npm start\` is not running).`

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function run (pool: pg.Pool, [command, name, keyId, ...rest]: string[]): Promise<unknown> {
  switch (command) {
    case 'create': {
      if (name === undefined || name.trim() === '') throw new Error(USAGE)
      const created = await createTenant(pool, name.trim())
      return { tenantId: created.tenantId, name: created.name, keyId: created.keyId, apiKey: created.apiKey }
    }
    case 'add-key': return { name, ...(await addApiKey(pool, (await tenantNamed(pool, name)).tenantId)) }
    case 'list': {
      const keys = await listApiKeys(pool)
      return (await listTenants(pool)).map((tenant) => ({ ...tenant, keys: keys.get(tenant.tenantId) ?? [] }))
    }
    case 'revoke-key': {
      // Revoking every key locks the tenant out: it must be asked for by name, never by omission.
      if (keyId === undefined) throw new Error(`revoke-key needs a key id, or --all to revoke every key of the tenant (\`list\` shows the key ids)\n${USAGE}`)
      if (rest.length > 0 || (keyId !== '--all' && !UUID.test(keyId))) throw new Error(`not a key id: ${JSON.stringify(keyId)}\n${USAGE}`)
      const tenant = await tenantNamed(pool, name)
      const revoked = await revokeKeys(pool, tenant.tenantId, keyId === '--all' ? undefined : keyId)
      if (keyId !== '--all' && revoked === 0) throw new Error(`tenant ${JSON.stringify(name)} has no active key ${keyId}`)
      return { revoked }
    }
    default: throw new Error(USAGE)
  }
}

async function tenantNamed (pool: pg.Pool, name: string | undefined) {
  const tenant = name === undefined ? undefined : await findTenantByName(pool, name)
  if (tenant === undefined) throw new Error(`no tenant named ${JSON.stringify(name ?? '')}`)
  return tenant
}

/** DATABASE_URL, or the embedded database of the default setup. */
async function database (config: Config): Promise<{ url: string, release: () => Promise<void> }> {
  if (config.DATABASE_URL !== undefined) return { url: config.DATABASE_URL, release: async () => {} }
  const { embeddedConnection } = await import('../db/embedded-connection.js')
  // Progress goes to stderr: stdout carries only the command's JSON.
  const log = pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2))
  const embedded = await embeddedConnection(config.DATA_DIR, config.EMBEDDED_PG_PORT, log)
  return { url: embedded.connectionString, release: embedded.release }
}

async function main (): Promise<void> {
  const args = process.argv.slice(2)
  if (!['create', 'add-key', 'list', 'revoke-key'].includes(args[0] ?? '')) throw new Error(USAGE)
  const config = loadConfig()
  const db = await database(config)
  const pool = createPool(poolSettings(config, db.url))
  try {
    process.stdout.write(JSON.stringify(await run(pool, args)) + '\n')
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new Error(`a tenant named ${JSON.stringify(args[1])} already exists`)
    throw err
  } finally {
    await pool.end()
    await db.release()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`tenants: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
