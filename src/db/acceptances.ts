import { acceptPlanAtomically, acceptPlansAtomically, loadAcceptances, storeRefusal, type AcceptanceContext, type AcceptanceLookup, type AcceptResult, type PlanAcceptance, type StoredAnswer } from './acceptance-repository.js'
import { storedResponse } from './idempotency-repository.js'
import { MicroBatcher } from './micro-batcher.js'
import type { Queryable } from './pool.js'

/**
 * The database side of accepting plans, with group commit: the acceptances that arrive in one
 * turn of the event loop are looked up in one query and written by one accept_plans call. A
 * batch of one goes through accept_plan, so light load behaves exactly as before.
 */
export class Acceptances {
  private readonly lookups: MicroBatcher<AcceptanceLookup, AcceptanceContext>
  private readonly writes: MicroBatcher<PlanAcceptance, AcceptResult>

  constructor (private readonly db: Queryable, readonly retentionHours: number) {
    // Reads wait on no lock: one lookup in flight, the acceptances that arrive meanwhile share the next.
    this.lookups = new MicroBatcher({ run: async (batch) => await loadAcceptances(db, batch, retentionHours), maxInFlight: 1 })
    this.writes = new MicroBatcher({
      run: async (batch) => await this.writeBatch(batch),
      // A failed batch wrote nothing: each acceptance is retried alone, where accept_plan reports
      // its own lock timeout, conflict or replay.
      fallback: async (acceptance) => await acceptPlanAtomically(db, acceptance, retentionHours),
      // Two: a write can wait on a lock (another replica accepting the same loan, up to
      // lock_timeout) and must not hold every other acceptance up meanwhile.
      maxInFlight: 2
    })
  }

  async load (lookup: AcceptanceLookup): Promise<AcceptanceContext> {
    return await this.lookups.submit(lookup)
  }

  async write (acceptance: PlanAcceptance): Promise<AcceptResult> {
    return await this.writes.submit(acceptance)
  }

  /** Stores a refusal under the key; false when another request answered under it first. */
  async storeRefusal (tenantId: string, key: string, requestHash: Buffer, statusCode: number, body: string): Promise<boolean> {
    return await storeRefusal(this.db, tenantId, key, requestHash, this.retentionHours, statusCode, body)
  }

  async storedAnswer (tenantId: string, key: string): Promise<StoredAnswer | undefined> {
    return await storedResponse(this.db, tenantId, key)
  }

  private async writeBatch (batch: PlanAcceptance[]): Promise<AcceptResult[]> {
    if (batch.length === 1) return [await acceptPlanAtomically(this.db, batch[0]!, this.retentionHours)]
    // A key may appear once per batch: a repeat (a client retrying at once) runs after the batch
    // has committed, and so replays its answer.
    const seen = new Set<string>()
    const first: number[] = []
    const repeats: number[] = []
    batch.forEach((a, i) => {
      const id = `${a.plan.tenantId}\n${a.key}`
      if (seen.has(id)) repeats.push(i)
      else { seen.add(id); first.push(i) }
    })
    const results = new Array<AcceptResult>(batch.length)
    const written = await acceptPlansAtomically(this.db, first.map((i) => batch[i]!), this.retentionHours)
    first.forEach((i, n) => { results[i] = written[n]! })
    for (const i of repeats) results[i] = await acceptPlanAtomically(this.db, batch[i]!, this.retentionHours)
    return results
  }
}
