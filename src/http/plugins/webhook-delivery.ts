import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { systemClock, type Clock } from '../../services/clock.js'
import { parseSchedule } from '../../services/webhook-retry.js'
import { SecretBox } from '../../services/webhook-secrets.js'
import { WebhookSender } from '../../services/webhook-sender.js'
import { DeliveryWorker } from '../../services/webhook-worker.js'

/**
 * Every replica delivers webhooks: every WEBHOOK_POLL_INTERVAL_MS (0: never) its worker claims
 * the due deliveries (see DeliveryWorker). On close it stops claiming and gives the attempts in
 * flight up to SHUTDOWN_GRACE_MS; unfinished ones are retried by another replica after their lease.
 */
export default fp(async function webhookDelivery (app: FastifyInstance, opts: { clock?: Clock | undefined }) {
  const c = app.config
  if (c.WEBHOOK_POLL_INTERVAL_MS === 0 || c.WEBHOOK_ENCRYPTION_KEY === undefined) return
  const sender = new WebhookSender({ timeoutMs: c.WEBHOOK_TIMEOUT_MS, allowPrivateNetworks: c.WEBHOOK_ALLOW_PRIVATE_NETWORKS })
  const worker = new DeliveryWorker(app.db, new SecretBox(c.WEBHOOK_ENCRYPTION_KEY), sender, opts.clock ?? systemClock, {
    concurrency: c.WEBHOOK_CONCURRENCY,
    perEndpoint: c.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    timeoutMs: c.WEBHOOK_TIMEOUT_MS,
    schedule: parseSchedule(c.WEBHOOK_RETRY_SCHEDULE_MS)
  }, {
    onAttempt: (outcome, d) => {
      app.metrics.observeWebhookAttempt(outcome)
      if (outcome === 'delivered') app.metrics.observeWebhookLag(Math.max(0, Date.now() - d.eventCreatedMs) / 1000)
      if (outcome === 'gone') app.log.warn({ tenantId: d.tenantId, endpointId: d.endpointId }, 'webhook endpoint answered 410 Gone: disabled')
      if (outcome === 'failed') app.log.warn({ tenantId: d.tenantId, endpointId: d.endpointId, deliveryId: d.deliveryId, attempts: d.attempt }, 'webhook delivery given up after its retries')
    },
    onError: (err) => { app.log.warn({ err: { message: (err as Error).message } }, 'webhook delivery worker error; will retry') }
  })
  let timer: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    timer = setInterval(() => { worker.poll() }, c.WEBHOOK_POLL_INTERVAL_MS)
    timer.unref()
    worker.poll()
  })
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await worker.stop(c.SHUTDOWN_GRACE_MS)
    sender.close()
  })
}, { name: 'webhook-delivery', dependencies: ['database', 'metrics'] })
