import pg from 'pg'
import { build } from './app.js'
import { loadConfig } from './config.js'

/** The OpenAPI document the routes produce; needs no database (the pool never connects). */
export async function openapiDocument (): Promise<string> {
  const pool = new pg.Pool({ connectionString: 'postgres://unused@127.0.0.1:1/unused' })
  const app = await build({ config: loadConfig({}), pool, logger: false, changeNotifications: false })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}
