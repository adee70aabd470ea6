// The HTTP workloads: varied quotes, one acceptance per pre-created quote, plan reads.
import { randomUUID } from 'node:crypto'
import { loanMix } from './loans.js'
import { load } from './load.js'
import type { LoadResult } from './load-types.js'

const JSON_HEADERS = { 'content-type': 'application/json' }
const ID = /"id":"([0-9a-f-]{36})"/

/** Where the load goes and who sends it: the service (or the bare ceiling), a tenant, a concurrency. */
export interface Target { base: string, auth: Record<string, string>, connections: number }

// The id as a string of its own. V8 keeps a regex match as a slice of the text it came from, so
// every kept id held its whole answer alive, and the load generator's heap and its scavenges
// grew with every quote kept (bench/README.md).
function idOf (text: string): string {
  const id = ID.exec(text)?.[1]
  if (id === undefined) throw new Error(`no id in an answer: ${text.slice(0, 200)}`)
  return Buffer.from(id, 'latin1').toString('latin1')
}

// Each request quotes a new loan id on one of a fixed set of loan shapes, so every quote can
// later take its own plan without a 409.
export function quoteBodies (tag: string, seed = 42): () => string {
  const shapes = loanMix(4096, seed)
  let n = 0
  return () => {
    const i = n++
    const s = shapes[i % shapes.length]
    if (s === undefined) throw new Error('empty loan mix')
    return JSON.stringify({ ...s, loan: { ...s.loan, loanId: `${tag}-${i}` } })
  }
}

export async function postQuotes ({ base, auth, connections, seconds, max, rate, body, quotes }: Target & {
  seconds: number, max?: number, rate?: number, body: () => string, quotes?: string[]
}): Promise<LoadResult> {
  return await load({
    rate,
    url: `${base}/v1/quotes`,
    method: 'POST',
    connections,
    seconds,
    max,
    headers: { ...JSON_HEADERS, ...auth },
    next: () => ({ body: body() }),
    // The id leads the body; skip a full JSON.parse of the whole quote in the load generator.
    // Only when asked: handing each body to a callback costs the load generator CPU.
    onBody: quotes && ((status, text) => { if (status === 201) quotes.push(idOf(text.slice(0, 64))) })
  })
}

export async function postPlans ({ base, auth, connections, seconds, rate, quotes, plans, optionId = 'settlement' }: Target & {
  seconds: number, rate?: number, quotes: string[], plans?: string[], optionId?: string
}): Promise<LoadResult> {
  let i = 0
  return await load({
    rate,
    url: `${base}/v1/plans`,
    method: 'POST',
    connections,
    seconds,
    // never send more acceptances than there are unused quotes (one plan per loan)
    max: quotes.length - connections,
    headers: { ...JSON_HEADERS, ...auth },
    next: () => ({
      headers: { 'idempotency-key': randomUUID() },
      body: JSON.stringify({ quoteId: quotes[Math.min(i++, quotes.length - 1)], optionId, acceptedBy: 'bench' })
    }),
    // Only when asked: handing each body to a callback costs the load generator CPU.
    onBody: plans && ((status, text) => { if (status === 201) plans.push(idOf(text)) })
  })
}

export async function getPlans ({ base, auth, connections, seconds, plans, pathFor = (id) => `/v1/plans/${id}` }: Target & {
  seconds: number, plans: string[], pathFor?: (id: string) => string
}): Promise<LoadResult> {
  let i = 0
  return await load({
    url: base,
    connections,
    seconds,
    headers: auth,
    next: () => ({ path: pathFor(plans[i++ % plans.length] ?? '') })
  })
}
