import type pg from 'pg'
import { retrying } from './retry.js'

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it
 * throws. Serialization failures and deadlocks run it again (bounded), as PostgreSQL asks.
 */
export async function inTransaction<T> (pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return await retrying(async () => {
    const client = await pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true })
      throw err
    } finally {
      // A connection that could not roll back is not given to the next caller.
      client.release(broken)
    }
  })
}
