import { loadConfig } from '../config.js'
import { closePool, createPool, poolSettings } from '../db/pool.js'
import { isValidDate } from '../domain/dates.js'
import { systemClock } from '../services/clock.js'
import { ServicingService } from '../services/servicing.js'
import { sweep } from '../services/sweep.js'

// `npm run sweep [-- --as-of YYYY-MM-DD]`: persist the plans' date-driven transitions, for cron and tests.
async function main (): Promise<void> {
  const config = loadConfig()
  if (config.DATABASE_URL === undefined) throw new Error('set DATABASE_URL to the database to sweep')
  const at = process.argv.indexOf('--as-of')
  const asOf = at < 0 ? undefined : process.argv[at + 1]
  if (asOf !== undefined && !isValidDate(asOf)) throw new Error('--as-of takes a date, YYYY-MM-DD')
  const pool = createPool(poolSettings(config, config.DATABASE_URL))
  try {
    const result = await sweep(pool, new ServicingService(pool, systemClock), asOf)
    process.stdout.write(JSON.stringify(result) + '\n')
    // Every other plan was swept; the exit status tells cron that some need a person.
    for (const plan of result.failed) process.stderr.write(`sweep: plan ${plan.planId} of tenant ${plan.tenantId} left unchanged: ${plan.error}\n`)
    if (result.failed.length > 0) process.exitCode = 1
  } finally {
    await closePool(pool)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`sweep: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
