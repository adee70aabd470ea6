import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { TEST_WEBHOOK_KEY } from './env.js'
import { createQuote } from './quotes.js'

export interface Received { id: string, timestamp: string, signature: string, body: string, event: { id: string, type: string, data: { plan: { id: string } } } }

/** What a receiver answers: a status, or 'hold' (never answers). */
export type Answer = number | 'hold'

/** A receiver on 127.0.0.1 that records every request and answers as `answer` decides. */
export async function receiver (t: { teardown: (fn: () => unknown) => void }, answer: (r: Received, all: Received[]) => Answer = () => 200) {
  const received: Received[] = []
  const held: http.ServerResponse[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => { body += d.toString() })
    req.on('end', () => {
      const r: Received = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        event: JSON.parse(body)
      }
      received.push(r)
      const a = answer(r, received)
      if (a === 'hold') held.push(res)
      else res.writeHead(a, { 'content-type': 'text/plain' }).end('receiver body: never logged')
    })
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  t.teardown(async () => {
    for (const res of held) res.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => { server.close(resolve) })
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, held }
}

/** Settings of an app that delivers fast to receivers on 127.0.0.1. */
export const DELIVERING_ENV = {
  WEBHOOK_ENCRYPTION_KEY: TEST_WEBHOOK_KEY,
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_POLL_INTERVAL_MS: '25',
  WEBHOOK_RETRY_SCHEDULE_MS: '30,30,30,30,30,30',
  WEBHOOK_TIMEOUT_MS: '2000'
}

export async function createEndpoint (app: FastifyInstance, headers: Record<string, string>, url: string, eventTypes: string[] = ['plan.accepted', 'plan.cancelled', 'plan.payment_recorded']) {
  const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url, eventTypes, description: 'test receiver' } })
  if (res.statusCode !== 201) throw new Error(`endpoint: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, secret: string, status: string }
}

let loans = 0
/** Accepts a plan (a plan.accepted event); returns its id. */
export async function acceptPlan (app: FastifyInstance, headers: Record<string, string>): Promise<string> {
  const loanId = `LN-WH-${process.pid}-${++loans}`
  const quote = await createQuote(app, headers, loanId)
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `wh-${loanId}` }, payload: { quoteId: quote.id, optionId: 'settlement' } })
  if (res.statusCode !== 201) throw new Error(`plan: ${res.statusCode} ${res.body}`)
  return res.json().id
}

export async function cancelPlan (app: FastifyInstance, headers: Record<string, string>, planId: string): Promise<void> {
  const res = await app.inject({ method: 'POST', url: `/v1/plans/${planId}/cancel`, headers, payload: { reason: 'test' } })
  if (res.statusCode !== 200) throw new Error(`cancel: ${res.statusCode} ${res.body}`)
}
