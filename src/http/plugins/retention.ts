import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { pruneEvents } from '../../db/events-repository.js'
import { pruneIdempotencyKeys } from '../../db/idempotency-repository.js'
import { pruneQuotes } from '../../db/quotes-repository.js'

// Every replica prunes; the DELETEs are idempotent, so overlapping runs are harmless.
const PRUNE_EVERY_MS = 10 * 60 * 1000

async function drain (step: () => Promise<number>): Promise<number> {
  let removed = 0
  for (let batch = await step(); batch > 0; batch = await step()) removed += batch
  return removed
}

/**
 * Keeps the tables bounded: idempotency keys past their retention, quotes that were never
 * accepted once they are QUOTE_RETENTION_DAYS past their expiry (accepted quotes stay with
 * their plans), and events older than EVENT_RETENTION_DAYS.
 */
export default fp(async function retention (app: FastifyInstance) {
  const { IDEMPOTENCY_RETENTION_HOURS: keyHours, QUOTE_RETENTION_DAYS: quoteDays, EVENT_RETENTION_DAYS: eventDays } = app.config
  const prune = async (): Promise<void> => {
    try {
      const keys = await drain(async () => await pruneIdempotencyKeys(app.db, keyHours))
      const quotes = await drain(async () => await pruneQuotes(app.db, quoteDays))
      const events = await drain(async () => await pruneEvents(app.db, eventDays))
      if (keys + quotes + events > 0) app.log.info({ keys, quotes, events }, 'pruned expired idempotency keys, quotes and events')
    } catch (err) {
      app.log.warn({ err: { message: (err as Error).message } }, 'pruning failed; will retry')
    }
  }
  const timer = setInterval(() => { void prune() }, PRUNE_EVERY_MS)
  timer.unref()
  app.decorate('pruneExpired', prune)
  app.addHook('onClose', async () => { clearInterval(timer) })
}, { name: 'retention', dependencies: ['database'] })

declare module 'fastify' {
  interface FastifyInstance { pruneExpired: () => Promise<void> }
}
