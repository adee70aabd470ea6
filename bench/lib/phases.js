// The HTTP workloads: varied quotes, one acceptance per pre-created quote, plan reads.
import { randomUUID } from 'node:crypto'
import { loanMix } from './loans.js'
import { load } from './load.js'

const JSON_HEADERS = { 'content-type': 'application/json' }
const ID = /"id":"([0-9a-f-]{36})"/

// Each request quotes a new loan id on one of a fixed set of loan shapes, so every quote can
// later take its own plan without a 409.
export function quoteBodies (tag, seed = 42) {
  const shapes = loanMix(4096, seed)
  let n = 0
  return () => {
    const i = n++
    const s = shapes[i % shapes.length]
    return JSON.stringify({ ...s, loan: { ...s.loan, loanId: `${tag}-${i}` } })
  }
}

export async function postQuotes ({ base, auth, connections, seconds, max, rate, body, quotes }) {
  return load({
    rate,
    url: `${base}/v1/quotes`,
    method: 'POST',
    connections,
    seconds,
    max,
    headers: { ...JSON_HEADERS, ...auth },
    next: () => ({ body: body() }),
    // The id leads the body; skip a full JSON.parse of ~20 kB in the load generator. Only when
    // asked: handing each body to a callback costs the load generator ~60 µs a request.
    onBody: quotes && ((status, text) => { if (status === 201) quotes.push(ID.exec(text.slice(0, 64))[1]) })
  })
}

export async function postPlans ({ base, auth, connections, seconds, rate, quotes, plans, optionId = 'settlement' }) {
  let i = 0
  return load({
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
    // Only when asked: handing each body to a callback costs the load generator ~60 µs a request.
    onBody: plans && ((status, text) => { if (status === 201) plans.push(ID.exec(text)[1]) })
  })
}

export async function getPlans ({ base, auth, connections, seconds, plans, pathFor = (id) => `/v1/plans/${id}` }) {
  let i = 0
  return load({
    url: base,
    connections,
    seconds,
    headers: auth,
    next: () => ({ path: pathFor(plans[i++ % plans.length]) })
  })
}
