import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { pruneIdempotencyKeys } from '../../db/idempotency-repository.js'

// Every replica prunes; the DELETE is idempotent, so overlapping runs are harmless.
const PRUNE_EVERY_MS = 10 * 60 * 1000

/** Deletes idempotency keys older than the retention, so the table stays bounded. */
export default fp(async function idempotencyReaper (app: FastifyInstance) {
  const retention = app.config.IDEMPOTENCY_RETENTION_HOURS
  const prune = async (): Promise<void> => {
    try {
      let removed = 0
      for (let batch = await pruneIdempotencyKeys(app.db, retention); batch > 0; batch = await pruneIdempotencyKeys(app.db, retention)) removed += batch
      if (removed > 0) app.log.info({ removed }, 'pruned expired idempotency keys')
    } catch (err) {
      app.log.warn({ err: { message: (err as Error).message } }, 'pruning idempotency keys failed; will retry')
    }
  }
  const timer = setInterval(() => { void prune() }, PRUNE_EVERY_MS)
  timer.unref()
  app.decorate('pruneIdempotencyKeys', prune)
  app.addHook('onClose', async () => { clearInterval(timer) })
}, { name: 'idempotency-reaper', dependencies: ['database'] })

declare module 'fastify' {
  interface FastifyInstance { pruneIdempotencyKeys: () => Promise<void> }
}
