import { loadConfig } from '../config.js'
import { migrate } from '../db/migrate.js'

// `npm run migrate [-- <version>]`: a separate step, so replicas never race to migrate at boot.
async function main (): Promise<void> {
  const config = loadConfig()
  if (config.DATABASE_URL === undefined) throw new Error('set DATABASE_URL to the database to migrate (the embedded database migrates itself on start)')
  const result = await migrate(config.DATABASE_URL, process.argv[2])
  process.stdout.write(JSON.stringify(result) + '\n')
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
