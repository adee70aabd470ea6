import pg from 'pg'
import type { Logger } from 'pino'

// One channel for every change that in-process caches must forget, e.g. "api-keys:<tenantId>".
// Writers send pg_notify in the same statement as the change, so it goes out exactly on commit.
export const CHANGE_CHANNEL = 'repayment_plans_changes'
export type ChangeKind = 'api-keys' | 'policies'

const HEARTBEAT_EVERY_MS = 5000
const HEARTBEAT_TIMEOUT_MS = 3000

export interface ChangeHandlers {
  onChange: (kind: ChangeKind, tenantId: string) => void
  /** Called whenever notifications may have been missed: caches must start over. */
  onReset: () => void
}

/**
 * A dedicated LISTEN connection with reconnects. While it is down, `live` is false and callers
 * must not trust their caches, since a change could go unannounced.
 */
export class ChangeListener {
  live = false
  private client: pg.Client | undefined
  private stopped = false
  private retryDelay = 100
  private timer: NodeJS.Timeout | undefined
  private heartbeat: NodeJS.Timeout | undefined

  constructor (private readonly config: pg.ClientConfig, private readonly handlers: ChangeHandlers, private readonly log?: Pick<Logger, 'warn' | 'info'>) {}

  async start (): Promise<void> {
    if (this.stopped) return
    const client = new pg.Client({ ...this.config, application_name: 'repayment-plans-listener' })
    this.client = client
    client.on('notification', (message) => {
      const [kind, tenantId] = (message.payload ?? '').split(':')
      if ((kind === 'api-keys' || kind === 'policies') && tenantId !== undefined) this.handlers.onChange(kind, tenantId)
    })
    client.on('error', () => { this.lost(client) })
    client.on('end', () => { this.lost(client) })
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANGE_CHANNEL}`)
      this.handlers.onReset()
      this.live = true
      this.retryDelay = 100
      // A half-open socket raises no error: probe it, and treat a silent connection as lost.
      this.heartbeat = setInterval(() => {
        client.query({ text: 'SELECT 1', query_timeout: HEARTBEAT_TIMEOUT_MS } as pg.QueryConfig).catch(() => { this.lost(client) })
      }, HEARTBEAT_EVERY_MS)
      this.heartbeat.unref()
    } catch {
      this.lost(client)
    }
  }

  private lost (client: pg.Client): void {
    if (client !== this.client) return
    this.client = undefined
    clearInterval(this.heartbeat)
    if (this.live) this.log?.warn('change notifications lost; caches are bypassed until they are back')
    this.live = false
    this.handlers.onReset()
    client.end().catch(() => {})
    if (this.stopped) return
    this.timer = setTimeout(() => { void this.start() }, this.retryDelay)
    this.timer.unref()
    this.retryDelay = Math.min(this.retryDelay * 2, 5000)
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.live = false
    if (this.timer !== undefined) clearTimeout(this.timer)
    clearInterval(this.heartbeat)
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => {})
  }
}
