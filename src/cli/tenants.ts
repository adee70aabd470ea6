import { loadConfig } from '../config.js'
import { createPool, poolSettings } from '../db/pool.js'
import { addApiKey, createTenant, findTenantByName, listTenants, revokeKeys } from '../db/tenants-repository.js'
import type pg from 'pg'

const USAGE = `usage: npm run tenants -- <command>
  create <name>                 create a tenant; prints {"tenantId","apiKey"} once
  add-key <name>                issue another key for a tenant
  list                          list tenants with their active key counts
  revoke-key <name> [<keyId>]   revoke one key, or every key of the tenant`

async function run (pool: pg.Pool, [command, name, keyId]: string[]): Promise<unknown> {
  switch (command) {
    case 'create': {
      if (name === undefined || name.trim() === '') throw new Error(USAGE)
      const created = await createTenant(pool, name.trim())
      return { tenantId: created.tenantId, name: created.name, keyId: created.keyId, apiKey: created.apiKey }
    }
    case 'add-key': return { ...(await addApiKey(pool, (await tenantNamed(pool, name)).tenantId)) }
    case 'list': return await listTenants(pool)
    case 'revoke-key': return { revoked: await revokeKeys(pool, (await tenantNamed(pool, name)).tenantId, keyId) }
    default: throw new Error(USAGE)
  }
}

async function tenantNamed (pool: pg.Pool, name: string | undefined) {
  const tenant = name === undefined ? undefined : await findTenantByName(pool, name)
  if (tenant === undefined) throw new Error(`no tenant named ${JSON.stringify(name ?? '')}`)
  return tenant
}

async function main (): Promise<void> {
  const config = loadConfig()
  if (config.DATABASE_URL === undefined) throw new Error('set DATABASE_URL to the service database')
  const pool = createPool(poolSettings(config, config.DATABASE_URL))
  try {
    process.stdout.write(JSON.stringify(await run(pool, process.argv.slice(2))) + '\n')
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new Error(`a tenant named ${JSON.stringify(process.argv[3])} already exists`)
    throw err
  } finally {
    await pool.end()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`tenants: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
