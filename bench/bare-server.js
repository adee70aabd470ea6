// Ceiling for POST /v1/quotes: Fastify with the service's own validator and quote schemas, no
// auth, no DB, no engine. It answers a captured real quote, stringified per request as the
// service does, so HTTP + validation + serialization of the same bytes is all that is left.
// Run as a forked child (its own core); reports its port over IPC.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { buildValidator } from '../dist/http/validation.js'
import { QuoteOptionSchema, QuoteRequestSchema, QuoteSchema, ScheduleRowSchema } from '../dist/schemas/quote.js'

const captured = JSON.parse(readFileSync(process.env.BENCH_CAPTURED_QUOTE, 'utf8'))
const JSON_UTF8 = 'application/json; charset=utf-8'

const app = Fastify({
  logger: { level: 'warn' },
  bodyLimit: 65536,
  schemaController: { compilersFactory: { buildValidator } }
})
app.addSchema(ScheduleRowSchema)
app.addSchema(QuoteOptionSchema)
app.addSchema(QuoteSchema)
app.post('/v1/quotes', {
  schema: { body: QuoteRequestSchema, response: { 201: { $ref: 'Quote#' } } }
}, async (request, reply) => {
  const body = JSON.stringify({ ...captured, loan: { ...captured.loan, loanId: request.body.loan.loanId } })
  return reply.code(201).header('location', `/v1/quotes/${captured.id}`).type(JSON_UTF8).send(body)
})

await app.listen({ port: 0, host: '127.0.0.1' })
process.send({ port: app.server.address().port })
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
process.on('disconnect', () => process.exit(0))
