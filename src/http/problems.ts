// RFC 9457 problem details: the one place where a kind of problem gets its HTTP status, title and
// headers. Domain errors (src/domain/errors.ts) are mapped by their code; errors only HTTP can
// raise (authentication, rate limits, parsing) use the same catalogue through `Problem`.
import { DomainError } from '../domain/errors.js'

export interface FieldError { path: string, message: string }

export type ProblemFields = {
  type: string
  title: string
  status: number
  detail: string
  errors?: FieldError[]
} & Record<string, unknown>

interface ProblemKind { status: number, title: string, retryAfter?: string, headers?: Record<string, string> }

const BAD_REQUEST = { status: 400, title: 'Bad Request' }
const CONFLICT_RETRY = { status: 409, title: 'Conflict', retryAfter: '1' }
const UNPROCESSABLE = { status: 422, title: 'Unprocessable Content' }
const UNAVAILABLE = { status: 503, title: 'Service Unavailable', retryAfter: '1' }

export const PROBLEM_KINDS = {
  validation: BAD_REQUEST,
  'invalid-policy': BAD_REQUEST,
  'invalid-cursor': BAD_REQUEST,
  'bad-request': BAD_REQUEST,
  'malformed-json': BAD_REQUEST,
  'credentials-in-query': BAD_REQUEST,
  'uri-too-long': { status: 414, title: 'URI Too Long' },
  unauthorized: { status: 401, title: 'Unauthorized', headers: { 'www-authenticate': 'Bearer realm="repayment-plans"' } },
  'not-found': { status: 404, title: 'Not Found' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  'request-timeout': { status: 408, title: 'Request Timeout' },
  'active-plan-exists': { status: 409, title: 'Conflict' },
  'payment-reference-conflict': { status: 409, title: 'Conflict' },
  'plan-not-active': { status: 409, title: 'Conflict' },
  'idempotency-key-in-flight': CONFLICT_RETRY,
  'loan-acceptance-in-flight': CONFLICT_RETRY,
  'quote-expired': { status: 410, title: 'Gone' },
  'payload-too-large': { status: 413, title: 'Payload Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'unknown-option': UNPROCESSABLE,
  'unknown-policy': UNPROCESSABLE,
  'schedule-in-past': UNPROCESSABLE,
  'idempotency-key-reused': UNPROCESSABLE,
  overpayment: UNPROCESSABLE,
  'received-on-out-of-range': UNPROCESSABLE,
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'storage-quota-exceeded': { status: 429, title: 'Too Many Requests' },
  'headers-too-large': { status: 431, title: 'Request Header Fields Too Large' },
  'service-unavailable': UNAVAILABLE,
  overloaded: UNAVAILABLE,
  'shutting-down': UNAVAILABLE,
  'webhooks-not-configured': { status: 503, title: 'Service Unavailable' }
} as const satisfies Record<string, ProblemKind>

export type ProblemCode = keyof typeof PROBLEM_KINDS

/** A problem lists at most this many field errors; `errorsOmitted` counts the rest. */
export const MAX_PROBLEM_ERRORS = 20

/** The problem's `errors` cut to MAX_PROBLEM_ERRORS, so a hostile body cannot amplify into a huge answer. */
export function capErrors (body: ProblemFields): ProblemFields {
  const errors = body.errors
  if (!Array.isArray(errors) || errors.length <= MAX_PROBLEM_ERRORS) return body
  return { ...body, errors: errors.slice(0, MAX_PROBLEM_ERRORS), errorsOmitted: errors.length - MAX_PROBLEM_ERRORS }
}

export function problemType (code: string): string {
  return code === 'about:blank' ? code : `/problems/${code}`
}

function kindOf (code: string): ProblemKind {
  const kind = (PROBLEM_KINDS as Record<string, ProblemKind>)[code]
  // A code without an entry is a programming error, not the caller's: answer 500 and say so in the logs.
  if (kind === undefined) throw new Error(`no problem kind for code "${code}"`)
  return kind
}

/** An error only the HTTP layer can raise, described by its catalogue code. */
export class Problem extends Error {
  constructor (readonly code: ProblemCode, detail: string, readonly extensions: Record<string, unknown> = {}, readonly headers: Record<string, string> = {}) {
    super(detail)
  }
}

export interface RenderedProblem { body: ProblemFields, headers: Record<string, string>, replayed: boolean }

/** The problem document and headers for a domain error or an HTTP `Problem`. */
export function renderProblem (error: DomainError | Problem): RenderedProblem {
  const kind = kindOf(error.code)
  const headers: Record<string, string> = { ...kind.headers, ...(error instanceof Problem ? error.headers : {}) }
  if (kind.retryAfter !== undefined && headers['retry-after'] === undefined) headers['retry-after'] = kind.retryAfter
  return {
    body: { type: problemType(error.code), title: kind.title, status: kind.status, detail: error.message, ...error.extensions },
    headers,
    replayed: error instanceof DomainError && error.replayed
  }
}

export function isProblem (error: unknown): error is DomainError | Problem {
  return error instanceof DomainError || error instanceof Problem
}
