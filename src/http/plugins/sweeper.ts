import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { sweep } from '../../services/sweep.js'

/**
 * Every replica runs the servicing sweep every SWEEP_INTERVAL_MS (0: never); an advisory lock
 * lets one run at a time, so replicas only take turns.
 */
export default fp(async function sweeper (app: FastifyInstance) {
  const every = app.config.SWEEP_INTERVAL_MS
  if (every === 0) return
  let running: Promise<void> | undefined
  const run = (): void => {
    if (running !== undefined) return
    running = sweep(app.db, app.servicing)
      .then(({ failed, ...result }) => {
        if (result.changed > 0) app.log.info(result, 'servicing sweep persisted plan transitions')
        for (const plan of failed) app.log.error(plan, 'servicing sweep cannot evaluate this plan\'s stored data; it is left unchanged')
      })
      .catch((err: unknown) => { app.log.warn({ err: { message: (err as Error).message } }, 'servicing sweep failed; will retry') })
      .finally(() => { running = undefined })
  }
  const timer = setInterval(run, every)
  timer.unref()
  app.addHook('onClose', async () => { clearInterval(timer); await running })
}, { name: 'sweeper', dependencies: ['services'] })
