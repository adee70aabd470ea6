import type pg from 'pg'

// Serialization failures and deadlocks are PostgreSQL asking for a retry, not errors for the caller.
const RETRYABLE = new Set(['40001', '40P01'])
export const MAX_ATTEMPTS = 4

export async function withTransaction<T> (pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true })
      const code = (err as { code?: string }).code
      if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err
      // Brief jittered back-off so two retrying transactions do not collide again at once.
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10))
    } finally {
      // A client whose ROLLBACK failed has a dead connection: destroy it instead of pooling it.
      client.release(broken)
    }
  }
}
