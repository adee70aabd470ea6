import type pg from 'pg'
import { claimDeliveries, recordAttempt, type AttemptOutcome, type ClaimedDelivery } from '../db/webhooks-repository.js'
import type { Clock } from './clock.js'
import { withJitter, type RetrySchedule } from './webhook-retry.js'
import { signatureHeader, type SecretBox } from './webhook-secrets.js'
import type { WebhookSender } from './webhook-sender.js'

export interface WorkerSettings {
  concurrency: number
  perEndpoint: number
  timeoutMs: number
  schedule: RetrySchedule
}

export interface WorkerHooks {
  onAttempt: (outcome: AttemptOutcome['result'], delivery: ClaimedDelivery) => void
  onError: (err: unknown) => void
}

/**
 * Delivers due webhook deliveries from every replica: claims them in one short statement (a lease
 * per attempt, SKIP LOCKED between replicas), sends each, records the attempt. At most
 * `concurrency` attempts are in flight here, `perEndpoint` to any one endpoint, so a slow
 * receiver holds only its own slots.
 */
export class DeliveryWorker {
  private readonly busy = new Map<string, number>()
  private readonly running = new Set<Promise<void>>()
  private inFlight = 0
  private claiming = false
  private again = false
  private stopped = false

  constructor (
    private readonly db: pg.Pool,
    private readonly box: SecretBox,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly settings: WorkerSettings,
    private readonly hooks: WorkerHooks
  ) {}

  /** A lease outlives the attempt's timeout, so a live worker always records before it expires. */
  get leaseMs (): number { return this.settings.timeoutMs + 5000 }

  /** Claims and starts what is due and fits in the free slots; overlapping calls coalesce. */
  poll (): void {
    if (this.stopped) return
    if (this.claiming) { this.again = true; return }
    const free = this.settings.concurrency - this.inFlight
    if (free <= 0) return
    this.claiming = true
    claimDeliveries(this.db, { limit: free, perEndpoint: this.settings.perEndpoint, busy: this.busy, leaseMs: this.leaseMs })
      .then((claimed) => {
        for (const delivery of claimed) this.start(delivery)
        // A full batch suggests more is due: look again at once.
        if (claimed.length === free) this.again = true
      })
      .catch((err: unknown) => { this.hooks.onError(err) })
      .finally(() => {
        this.claiming = false
        if (this.again) { this.again = false; setImmediate(() => { this.poll() }) }
      })
  }

  /** Stops claiming and waits for the attempts in flight, at most `graceMs` (the rest are retried once their leases expire). */
  async stop (graceMs: number): Promise<void> {
    this.stopped = true
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => { timer = setTimeout(resolve, graceMs) })
    ])
    clearTimeout(timer)
  }

  private start (delivery: ClaimedDelivery): void {
    this.inFlight++
    this.busy.set(delivery.endpointId, (this.busy.get(delivery.endpointId) ?? 0) + 1)
    const attempt = this.attempt(delivery)
      .catch((err: unknown) => { this.hooks.onError(err) })
      .finally(() => {
        this.inFlight--
        const n = (this.busy.get(delivery.endpointId) ?? 1) - 1
        if (n === 0) this.busy.delete(delivery.endpointId)
        else this.busy.set(delivery.endpointId, n)
        this.running.delete(attempt)
        // A slot is free, and the plan's next event may now be due.
        this.poll()
      })
    this.running.add(attempt)
  }

  private async attempt (d: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify({ id: d.event.id, type: d.event.type, createdAt: d.event.createdAt, data: d.event.data })
    const timestamp = Math.floor(this.clock.now().getTime() / 1000)
    let outcome: AttemptOutcome
    let secrets: string[]
    try {
      secrets = [this.box.open(d.secret), ...this.previous(d)]
    } catch {
      // Not the receiver's fault, nor something another try fixes soon: retried by the schedule, and logged.
      this.hooks.onError(new Error(`cannot decrypt the secret of webhook endpoint ${d.endpointId}: is WEBHOOK_ENCRYPTION_KEY the one it was created with?`))
      outcome = this.failure(d, null, 'the signing secret cannot be decrypted', 0)
      await recordAttempt(this.db, d, outcome)
      this.hooks.onAttempt(outcome.result, d)
      return
    }
    const result = await this.sender.post(d.url, {
      'content-type': 'application/json',
      'user-agent': 'repayment-plans-webhooks/1',
      'webhook-id': d.event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, d.event.id, timestamp, body)
    }, body)
    const status = result.status
    if (status !== null && status >= 200 && status < 300) {
      outcome = { result: 'delivered', responseStatus: status, error: null, durationMs: result.durationMs }
    } else if (status === 410) {
      outcome = { result: 'gone', responseStatus: status, error: 'the receiver answered 410 Gone: endpoint disabled', durationMs: result.durationMs }
    } else {
      outcome = this.failure(d, status, result.error ?? `the receiver answered ${status ?? 'nothing'}`, result.durationMs)
    }
    await recordAttempt(this.db, d, outcome)
    this.hooks.onAttempt(outcome.result, d)
  }

  /** The rotated-out secret, while it still signs. One sealed under an earlier key (replaced with a rotation) is dropped. */
  private previous (d: ClaimedDelivery): string[] {
    if (d.previousSecret === null) return []
    try { return [this.box.open(d.previousSecret)] } catch { return [] }
  }

  private failure (d: ClaimedDelivery, status: number | null, error: string, durationMs: number): AttemptOutcome {
    const delay = this.settings.schedule.delayAfter(d.attempt, d.sinceFirstMs)
    return delay === undefined
      ? { result: 'failed', responseStatus: status, error, durationMs }
      : { result: 'retry', retryInMs: withJitter(delay), responseStatus: status, error, durationMs }
  }
}
