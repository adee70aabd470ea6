import type pg from 'pg'
import { tenantIds } from '../db/payments-repository.js'
import type { ServicingService, UnsettledPlan } from './servicing.js'

// An arbitrary constant: one sweep at a time across every replica on the database.
const SWEEP_LOCK = 7_301_998_232
const PAGE = 1000
// Two pages in flight: one is evaluated in JavaScript while PostgreSQL reads or writes the other.
const WORKERS = 2

/** `failed`: plans whose stored data could not be evaluated; left unchanged, met again next time. */
export interface SweepResult { ran: boolean, examined: number, changed: number, failed: UnsettledPlan[] }

export interface SweepOptions { page?: number, workers?: number }

/**
 * Persists the date-driven transitions (a plan breaking because its dates passed) of every active
 * plan whose next check date has come, as of `asOf` (default: each plan's today in its policy's
 * time zone). Incremental: a plan is looked at only from its next check date, a page of plans is
 * evaluated and saved per statement, and a plan whose evaluation did not change is not rewritten.
 * Runs only where it holds the sweep lock; tenant by tenant, as a distributed database would.
 * Within a tenant, `workers` loops take pages side by side: each page locks its plans, so a loop
 * skips the plans another loop holds and takes the next ones; a loop ends at its first short page.
 */
export async function sweep (pool: pg.Pool, servicing: ServicingService, asOf?: string, { page = PAGE, workers = WORKERS }: SweepOptions = {}): Promise<SweepResult> {
  const lock = await pool.connect()
  let held = false
  try {
    held = (await lock.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [SWEEP_LOCK])).rows[0]!.held
    if (!held) return { ran: false, examined: 0, changed: 0, failed: [] }
    let examined = 0
    let changed = 0
    // By plan: two loops may both meet a plan left unchanged.
    const failed = new Map<string, UnsettledPlan>()
    // Without a date, every plan's own today by the service's clock.
    const horizon = asOf ?? servicing.latestToday()
    for (const tenantId of await tenantIds(pool)) {
      // Keyset order: a plan whose next check moves still ahead of the horizon is met at most once more.
      const loop = async (): Promise<void> => {
        let cursor
        for (;;) {
          const settled = await servicing.settlePage(tenantId, horizon, asOf, cursor, page)
          examined += settled.examined
          changed += settled.changed
          for (const f of settled.failed) {
            const key = `${f.tenantId}/${f.planId}`
            if (failed.has(key)) examined--
            failed.set(key, f)
          }
          if (settled.examined < page) break
          cursor = settled.cursor
        }
      }
      await Promise.all(Array.from({ length: workers }, loop))
    }
    return { ran: true, examined, changed, failed: [...failed.values()] }
  } finally {
    if (held) await lock.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK]).catch(() => {})
    lock.release()
  }
}
