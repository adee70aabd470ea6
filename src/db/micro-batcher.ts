/**
 * Group commit: the items submitted within one turn of the event loop go to PostgreSQL as one
 * statement (one round trip, one commit), at most `maxBatch` at a time. Each caller still waits
 * for its own result, so an answer is only sent for committed work; under light load a batch is
 * one item, with no added delay. When a batch of several fails, `fallback` decides per item
 * (retry it alone, or fail it): one bad item must not fail its neighbours.
 *
 * With `maxInFlight`, items that arrive while that many batches run wait for one to finish and
 * then go together: requests that arrive spread out would otherwise each become a batch of one,
 * each paying a commit (measured in bench/README.md).
 */
export interface BatchSettings<I, O> {
  run: (items: I[]) => Promise<O[]>
  fallback?: (item: I, batchError: unknown) => Promise<O>
  maxBatch?: number
  /** Batches running at once; items that arrive meanwhile wait for one to finish and go together. */
  maxInFlight?: number
  /** Told the size of every batch as it leaves (metrics). */
  observe?: (batchSize: number) => void
}

/** Where a group-commit user reports its batch sizes, by batcher name. */
export type BatchObserver = (batcher: string, batchSize: number) => void

interface Pending<I, O> { item: I, resolve: (value: O) => void, reject: (err: unknown) => void }

export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = []
  private scheduled = false
  private inFlight = 0
  private readonly maxBatch: number
  private readonly maxInFlight: number

  constructor (private readonly settings: BatchSettings<I, O>) {
    this.maxBatch = settings.maxBatch ?? 100
    this.maxInFlight = settings.maxInFlight ?? Infinity
  }

  async submit (item: I): Promise<O> {
    return await new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (this.queue.length >= this.maxBatch) this.flush()
      else if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => { this.flush() })
      }
    })
  }

  private flush (): void {
    this.scheduled = false
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch)
      this.inFlight++
      this.settings.observe?.(batch.length)
      this.settings.run(batch.map((p) => p.item)).then(
        (results) => { batch.forEach((p, i) => { p.resolve(results[i] as O) }) },
        (err: unknown) => {
          const fallback = this.settings.fallback
          if (batch.length === 1 || fallback === undefined) { for (const p of batch) p.reject(err); return }
          for (const p of batch) fallback(p.item, err).then(p.resolve, p.reject)
        }).finally(() => {
        this.inFlight--
        // What arrived while the batches ran goes now, together.
        this.flush()
      })
    }
  }
}
