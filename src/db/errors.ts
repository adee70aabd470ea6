// The one place PostgreSQL's error codes are read: each becomes a domain error the layers above
// understand, or stays as it is (a programming error, answered 500).
import { ServiceUnavailable, UnstorableValue, type DomainError } from '../domain/errors.js'

// Contention that outlasted the bounded retries, a lock or statement timeout, or a database
// that is unreachable, restarting or out of connections: the caller did nothing wrong.
const UNAVAILABLE_CODES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006'])
// Socket failures of the driver's own connection. The same codes also arrive from the HTTP side
// (a client hanging up mid-body is an ECONNRESET "aborted" from the request stream): only an error
// raised by a failed system call (it carries `syscall`, as pg's socket errors do) is the database's.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])
const CONNECTION_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|not queryable|connection error/i

export function sqlState (err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** PostgreSQL data and constraint errors (classes 22 and 23): the row, not the database, is at fault. */
export function isDataError (err: unknown): boolean {
  return /^2[23]/.test(sqlState(err) ?? '')
}

/** PostgreSQL asking for the transaction to be run again: serialization failure or deadlock. */
export function isRetryable (err: unknown): boolean {
  const code = sqlState(err)
  return code === '40001' || code === '40P01'
}

export function isUniqueViolation (err: unknown): boolean {
  return sqlState(err) === '23505'
}

export function isLockTimeout (err: unknown): boolean {
  return sqlState(err) === '55P03'
}

/** The domain error a database failure means for the caller, or undefined when it is not one. */
export function databaseFailure (err: unknown): DomainError | undefined {
  const code = sqlState(err)
  // A data exception (class 22) is a value the schemas should have refused: a 400, logged to close the gap.
  if (code !== undefined && /^22[0-9A-Z]{3}$/.test(code)) return new UnstorableValue()
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return new ServiceUnavailable()
  if (code !== undefined && SOCKET_CODES.has(code) && typeof (err as { syscall?: unknown }).syscall === 'string') return new ServiceUnavailable()
  const message = (err as { message?: unknown } | null)?.message
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return new ServiceUnavailable()
  return undefined
}
