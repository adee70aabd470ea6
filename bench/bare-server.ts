// Ceiling for POST /v1/quotes: Fastify with the service's own validator and quote schemas, no
// auth, no DB, no engine. It answers a captured real quote, stringified per request as the
// service does, so HTTP + validation + serialization of the same bytes is all that is left.
// Run as a forked child (its own core); reports its port over IPC.
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { buildValidator, QuoteOptionSchema, QuoteRequestSchema, QuoteSchema, ScheduleRowSchema } from './lib/src.js'

const capturedPath = process.env.BENCH_CAPTURED_QUOTE
if (capturedPath === undefined || process.send === undefined) throw new Error('bare-server runs forked by bench/run.ts, with BENCH_CAPTURED_QUOTE set')
const send = process.send.bind(process)
const captured = JSON.parse(readFileSync(capturedPath, 'utf8')) as { id: string, loan: Record<string, unknown> }
const JSON_UTF8 = 'application/json; charset=utf-8'

const app = Fastify({
  logger: { level: 'warn' },
  bodyLimit: 65536,
  // the same cast as src/app.ts: fastify's compiler-factory type is narrower than ajv's compile
  schemaController: { compilersFactory: { buildValidator: buildValidator as never } }
})
app.addSchema(ScheduleRowSchema)
app.addSchema(QuoteOptionSchema)
app.addSchema(QuoteSchema)
app.post<{ Body: { loan: { loanId: string } } }>('/v1/quotes', {
  schema: { body: QuoteRequestSchema, response: { 201: { $ref: 'Quote#' } } }
}, async (request, reply) => {
  const body = JSON.stringify({ ...captured, loan: { ...captured.loan, loanId: request.body.loan.loanId } })
  // Returned, not awaited: a reply is thenable, and awaiting it would wait for the socket write.
  return reply.code(201).header('location', `/v1/quotes/${captured.id}`).type(JSON_UTF8).send(body)
})

await app.listen({ port: 0, host: '127.0.0.1' })
send({ port: (app.server.address() as AddressInfo).port })
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
process.on('disconnect', () => process.exit(0))
