// The HTTP workloads: varied quotes, one acceptance per pre-created quote, plan reads.
import { randomUUID } from 'node:crypto'
import { loanMix } from './loans.js'
import { load } from './load.js'

const JSON_HEADERS = { 'content-type': 'application/json' }
const ID = /"id":"([0-9a-f-]{36})"/

// The id as a string of its own. V8 keeps a regex match as a slice of the text it came from, so
// every kept id held its whole ~15 kB answer alive: 40,000 quotes pinned ~600 MB in the load
// generator, whose scavenges then took 15-30 ms.
const idOf = (text) => Buffer.from(ID.exec(text)[1], 'latin1').toString('latin1')

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
    onBody: quotes && ((status, text) => { if (status === 201) quotes.push(idOf(text.slice(0, 64))) })
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
    onBody: plans && ((status, text) => { if (status === 201) plans.push(idOf(text)) })
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
