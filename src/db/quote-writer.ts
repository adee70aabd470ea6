import type { Queryable } from './pool.js'
import { insertQuotes, type QuoteRecord } from './quotes-repository.js'

const MAX_BATCH = 100

interface Pending { record: QuoteRecord, resolve: () => void, reject: (err: unknown) => void }

/**
 * Group commit for quotes: the inserts requested within one turn of the event loop go to
 * PostgreSQL as one multi-row INSERT. Each caller still waits for its own row's commit, so a 201
 * is only sent for a stored quote; under light load a batch is simply one row, with no delay.
 */
export class QuoteWriter {
  private queue: Pending[] = []
  private scheduled = false

  constructor (private readonly db: Queryable) {}

  async write (record: QuoteRecord): Promise<void> {
    return await new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject })
      if (this.queue.length >= MAX_BATCH) this.flush()
      else if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => { this.flush() })
      }
    })
  }

  private flush (): void {
    this.scheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    insertQuotes(this.db, batch.map((p) => p.record)).then(
      () => { for (const p of batch) p.resolve() },
      (err: unknown) => {
        // One bad row (a data or constraint error) must not fail its neighbours: retry each on
        // its own. Any other failure (connection lost, timeout) fails the whole batch: nothing
        // is known to have committed, and piling retries onto a struggling database helps no one.
        const code = (err as { code?: unknown }).code
        const dataError = typeof code === 'string' && /^2[23]/.test(code)
        if (batch.length === 1 || !dataError) { for (const p of batch) p.reject(err); return }
        for (const p of batch) insertQuotes(this.db, [p.record]).then(p.resolve, p.reject)
      })
  }
}
