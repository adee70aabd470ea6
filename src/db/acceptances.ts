import { IdempotencyKeyInFlight, LoanAcceptanceInFlight } from '../domain/errors.js'
import { acceptPlans, loadAcceptances, storedAnswer, storeRefusal, type AcceptanceContext, type AcceptanceLookup, type AcceptResult, type PlanAcceptance, type StoredOutcome } from './acceptance-repository.js'
import { isLockTimeout, sqlState } from './errors.js'
import { MicroBatcher, type BatchObserver } from './micro-batcher.js'
import type { Queryable } from './pool.js'
import { retrying } from './retry.js'

/** accept_plans' own error codes, in the domain's words. */
function translated (err: unknown): unknown {
  const code = sqlState(err)
  if (code === 'RPK01') return new IdempotencyKeyInFlight()
  if (code === 'RPL01') return new LoanAcceptanceInFlight()
  return err
}

/**
 * The database side of accepting plans, with group commit: the acceptances that arrive in one
 * turn of the event loop are looked up in one query and written by one accept_plans call. One
 * acceptance is a batch of one through the same function.
 */
export class Acceptances {
  private readonly lookups: MicroBatcher<AcceptanceLookup, AcceptanceContext>
  private readonly writes: MicroBatcher<PlanAcceptance, AcceptResult>

  constructor (private readonly db: Queryable, readonly retentionHours: number, observe?: BatchObserver) {
    // Reads wait on no lock: one lookup in flight, the acceptances that arrive meanwhile share the next.
    this.lookups = new MicroBatcher({ run: async (batch) => await loadAcceptances(db, batch, retentionHours), maxInFlight: 1, observe: (size) => observe?.('acceptance-lookups', size) })
    this.writes = new MicroBatcher({
      run: async (batch) => await this.writeBatch(batch),
      // A failed batch wrote nothing: each acceptance is retried alone, which reports its own
      // lock timeout, conflict or replay.
      fallback: async (acceptance) => await this.writeOne(acceptance),
      // Two: a write can wait on a lock (another replica accepting the same loan, up to
      // lock_timeout) and must not hold every other acceptance up meanwhile.
      maxInFlight: 2,
      observe: (size) => observe?.('acceptance-writes', size)
    })
  }

  async load (lookup: AcceptanceLookup): Promise<AcceptanceContext> {
    return await this.lookups.submit(lookup)
  }

  /** Writes the acceptance (retrying serialization failures); throws the domain's in-flight errors. */
  async write (acceptance: PlanAcceptance): Promise<AcceptResult> {
    return await this.writes.submit(acceptance)
  }

  /** Stores a refusal under the key; false when another request answered under it first. */
  async storeRefusal (tenantId: string, key: string, requestHash: Buffer, code: string, body: string): Promise<boolean> {
    try {
      return await storeRefusal(this.db, tenantId, key, requestHash, this.retentionHours, code, body)
    } catch (err) {
      // The key row is the only lock this insert waits for.
      if (isLockTimeout(err)) throw new IdempotencyKeyInFlight()
      throw err
    }
  }

  async storedAnswer (tenantId: string, key: string): Promise<StoredOutcome | undefined> {
    return await storedAnswer(this.db, tenantId, key)
  }

  private async writeOne (acceptance: PlanAcceptance): Promise<AcceptResult> {
    try {
      return (await retrying(async () => await acceptPlans(this.db, [acceptance], this.retentionHours)))[0]!
    } catch (err) {
      throw translated(err)
    }
  }

  private async writeBatch (batch: PlanAcceptance[]): Promise<AcceptResult[]> {
    if (batch.length === 1) return [await this.writeOne(batch[0]!)]
    // A key may appear once per batch: a repeat (a client retrying at once) runs after the batch
    // has committed, and so replays its answer.
    const seen = new Set<string>()
    const first: number[] = []
    const repeats: number[] = []
    batch.forEach((a, i) => {
      const id = `${a.tenantId}\n${a.key}`
      if (seen.has(id)) repeats.push(i)
      else { seen.add(id); first.push(i) }
    })
    const results = new Array<AcceptResult>(batch.length)
    const written = await acceptPlans(this.db, first.map((i) => batch[i]!), this.retentionHours)
    first.forEach((i, n) => { results[i] = written[n]! })
    for (const i of repeats) results[i] = await this.writeOne(batch[i]!)
    return results
  }
}
