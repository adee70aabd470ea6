// What can go wrong, in lending terms. Services throw these; src/http maps each `code` to a
// problem type and status in one table (problem-types.ts). `detail` is written for the caller and
// `extensions` are the machine-readable facts that travel with it.

export interface FieldProblem { readonly path: string, readonly message: string }

export class DomainError extends Error {
  /** True when the refusal is the stored answer of an earlier request under the same idempotency key. */
  replayed = false

  constructor (readonly code: string, detail: string, readonly extensions: Readonly<Record<string, unknown>> = {}) {
    super(detail)
    this.name = new.target.name
  }
}

export class NotFound extends DomainError {
  constructor (what: 'quote' | 'plan' | 'policy' | 'payment' | 'webhook endpoint' | 'webhook delivery') { super('not-found', `the ${what} was not found`) }
}

export class InvalidRequest extends DomainError {
  constructor (readonly errors: readonly FieldProblem[], code = 'validation') {
    super(code, errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors })
  }
}

export class InvalidPolicy extends InvalidRequest {
  constructor (errors: readonly FieldProblem[]) { super(errors, 'invalid-policy') }
}

export class UnknownPolicy extends DomainError {
  constructor (name: string) { super('unknown-policy', `there is no policy named "${name}"; GET /v1/policies lists yours`) }
}

export class InvalidCursor extends DomainError {
  constructor (parameter = 'cursor') {
    super('invalid-cursor', 'the cursor is not one this API issued; start again without it', { errors: [{ path: `/querystring/${parameter}`, message: 'is not a valid cursor' }] })
  }
}

export class QuoteExpired extends DomainError {
  constructor (expiresAt: string) { super('quote-expired', `the quote expired at ${expiresAt}; request a new quote`, { expiresAt }) }
}

export class UnknownOption extends DomainError {
  constructor (optionId: string, offered: readonly string[]) {
    super('unknown-option', `the quote has no option "${optionId}"; it offers: ${offered.join(', ')}`)
  }
}

export class ScheduleInPast extends DomainError {
  // A quote computed for an old asOf would start the agreement already in arrears.
  constructor (firstPaymentDate: string) {
    super('schedule-in-past', `the option's first payment (${firstPaymentDate}) is already past; request a quote with a current asOf`)
  }
}

export class ActivePlanExists extends DomainError {
  constructor (loanId: string, existingPlanId: string) {
    super('active-plan-exists', `loan ${loanId} already has an active plan (${existingPlanId}); cancel it first to accept another option`, { existingPlanId })
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor () { super('idempotency-key-reused', 'this Idempotency-Key was used with a different request body; use a new key for a new request') }
}

/** Another request under the same key is still running: retry shortly. */
export class IdempotencyKeyInFlight extends DomainError {
  constructor () { super('idempotency-key-in-flight', 'a request with this Idempotency-Key is still being processed; retry shortly') }
}

/** Another acceptance of the same loan (under another key) is still running: retry shortly. */
export class LoanAcceptanceInFlight extends DomainError {
  constructor () { super('loan-acceptance-in-flight', 'another acceptance of this loan is still being processed; retry shortly') }
}

/** Contention that outlasted the bounded retries: nothing was done, retry later. */
export class TooMuchContention extends DomainError {
  constructor (what: string) { super('service-unavailable', `too many concurrent changes to ${what}; retry shortly`) }
}

/** The database cannot be reached, or a connection died mid-request: the write may or may not have committed. */
export class ServiceUnavailable extends DomainError {
  constructor (detail = 'the service cannot reach its database; retry later') { super('service-unavailable', detail) }
}

/** A value PostgreSQL could not store or compare that the schemas should have refused. */
export class UnstorableValue extends DomainError {
  constructor () { super('validation', 'a value in the request could not be stored or compared') }
}

/** A stored refusal brought back for replay: the same code, detail and facts as when first answered. */
export function replayedRefusal (code: string, detail: string, extensions: Record<string, unknown>): DomainError {
  const error = new DomainError(code, detail, extensions)
  error.replayed = true
  return error
}

/** The reference names money already recorded with a different body (or on another plan). */
export class PaymentReferenceConflict extends DomainError {
  constructor (reference: string, paymentId: string) {
    super('payment-reference-conflict', `reference "${reference}" is already recorded (payment ${paymentId}) with a different body; a new payment needs a new reference`, { paymentId })
  }
}

/** Cancelled or broken: the plan takes no more payments (the lender's collection process takes over). */
export class PlanNotActive extends DomainError {
  constructor (status: string, since: string | null) {
    super('plan-not-active', `the plan is ${status}${since === null ? '' : ` since ${since}`} and takes no payments`, { planStatus: status })
  }
}

/** More than settles the plan on the date received. */
export class Overpayment extends DomainError {
  constructor (maxAmount: string, outstanding: string) {
    super('overpayment', `the payment is more than the plan can take on that date: at most ${maxAmount} (${outstanding} is outstanding; paying it off early forgives interest not yet earned, see GET …/payoff)`, { maxAmount, outstanding })
  }
}

/** A receivedOn before the plan was accepted, or after today. */
export class ReceivedOnOutOfRange extends DomainError {
  constructor (receivedOn: string, from: string, to: string) {
    super('received-on-out-of-range', `receivedOn ${receivedOn} must be from ${from} (the plan's acceptance) to ${to} (today in the policy's time zone)`, { earliest: from, latest: to })
  }
}

/** Webhook secrets cannot be stored: no WEBHOOK_ENCRYPTION_KEY was configured with an external database. */
export class WebhooksNotConfigured extends DomainError {
  constructor () { super('webhooks-not-configured', 'webhooks are not configured on this service (WEBHOOK_ENCRYPTION_KEY is unset); ask its operator') }
}
