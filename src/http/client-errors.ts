import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { problemType, renderProblem, Problem, type ProblemCode } from './problems.js'
import { HELMET_OPTIONS, helmetHeaders } from './plugins/security-headers.js'

const SECURITY_HEADERS = { ...helmetHeaders(HELMET_OPTIONS), 'cache-control': 'no-store' }

/** Errors Node's HTTP parser raises before any route runs, by what the client did. */
function classify (code: string | undefined): { kind: ProblemCode, detail: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { kind: 'request-timeout', detail: 'the request was not received in full within the time limit' }
  if (code === 'HPE_HEADER_OVERFLOW') return { kind: 'headers-too-large', detail: 'the request headers are larger than the server accepts' }
  return { kind: 'bad-request', detail: 'the request is not valid HTTP/1.1' }
}

/**
 * Fastify's `clientErrorHandler`: a malformed request (400), one not received in time (408) or one
 * with oversized headers (431) is answered as application/problem+json, like every other error,
 * and the connection is closed. A connection the client already reset gets nothing.
 */
export function clientErrorHandler (this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || socket.destroyed) {
    socket.destroy()
    return
  }
  const { kind, detail } = classify(err.code)
  const { body, headers } = renderProblem(new Problem(kind, detail))
  this.log.debug({ err: { message: err.message, code: err.code } }, 'client error')
  const text = JSON.stringify({ type: problemType(kind), title: body.title, status: body.status, detail })
  if (socket.writable) {
    const lines = Object.entries({ ...SECURITY_HEADERS, ...headers, 'content-type': 'application/problem+json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), connection: 'close' })
      .map(([name, value]) => `${name}: ${value}\r\n`).join('')
    socket.end(`HTTP/1.1 ${body.status} ${body.title}\r\n${lines}\r\n${text}`)
  }
  socket.destroySoon()
}
