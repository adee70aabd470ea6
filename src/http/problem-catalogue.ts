// The problem type catalogue: what each `/problems/<code>` type means and what a caller does about
// it. One entry per code of PROBLEM_KINDS (the compiler refuses a code without one); the pages at
// /problems/<code> and the error examples of the OpenAPI document are both made from it.
import { PROBLEM_KINDS, problemType, type ProblemCode, type ProblemFields } from './problems.js'

export interface ProblemDescription {
  /** What happened, in one or two sentences. */
  meaning: string
  /** What the caller should do. */
  action: string
  /** A realistic `detail` (and extensions) as the service sends it, for the OpenAPI examples. */
  example: { detail: string, instance: string } & Record<string, unknown>
}

export const PROBLEM_DESCRIPTIONS = {
  validation: {
    meaning: 'The request does not match the operation\'s schema: a field is missing, unknown, of the wrong type or outside its range. Bodies are validated strictly (unknown fields are refused, "30" is not 30).',
    action: 'Fix the fields listed in `errors` (each has a JSON pointer `path` and a `message`) and send the request again. Retrying unchanged gives the same answer.',
    example: { detail: '/body/loan/balance is required', instance: '/v1/quotes', errors: [{ path: '/body/loan/balance', message: 'is required' }] }
  },
  'invalid-policy': {
    meaning: 'The policy rules are well-formed JSON but inconsistent: for example delinquency buckets overlap or leave a gap, or a term is outside the allowed range.',
    action: 'Correct the rules listed in `errors`; GET /v1/policies/standard shows a consistent rule set to start from.',
    example: { detail: '/body/currency unknown ISO 4217 currency code "XXY"', instance: '/v1/policies/cautious', errors: [{ path: '/body/currency', message: 'unknown ISO 4217 currency code "XXY"' }] }
  },
  'invalid-cursor': {
    meaning: 'The `cursor` query parameter is not one this API issued (it was edited, truncated, or comes from another listing).',
    action: 'Start the listing again without `cursor` and pass each page\'s `nextCursor` unchanged.',
    example: { detail: 'the cursor is not one this API issued; start again without it', instance: '/v1/plans', errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }] }
  },
  'bad-request': {
    meaning: 'The HTTP request itself is malformed: an undecodable URL, or a Content-Length that does not match the body.',
    action: 'Check the client or proxy that builds the request; the request cannot succeed as sent.',
    example: { detail: 'the URL cannot be decoded', instance: '/v1/plans/%E0%A4%A' }
  },
  'malformed-json': {
    meaning: 'The body is not valid JSON, is empty, or contains a forbidden key such as `__proto__`.',
    action: 'Send a valid JSON document with `Content-Type: application/json`.',
    example: { detail: 'the body is not valid JSON, or it has a forbidden key such as __proto__', instance: '/v1/quotes' }
  },
  'credentials-in-query': {
    meaning: 'An API key was put in the URL. URLs end up in proxy logs and browser history, so the request is refused and the key is not used.',
    action: 'Send the key as `Authorization: Bearer <key>`, and consider the key exposed: issue a new one (`tenants add-key`) and revoke the old one.',
    example: { detail: 'never put an API key in the URL; send it as "Authorization: Bearer <key>"', instance: '/v1/me' }
  },
  unauthorized: {
    meaning: 'The request has no API key, a malformed Authorization header, or a key that is unknown or revoked.',
    action: 'Send `Authorization: Bearer <key>` with an active key. Operators issue keys with `node dist/cli/tenants.js create <name>` or `add-key <name>`.',
    example: { detail: 'the API key is unknown or revoked', instance: '/v1/quotes' }
  },
  'not-found': {
    meaning: 'There is no such route, or the quote, plan or policy does not exist for your tenant (another tenant\'s records are reported as not found too).',
    action: 'Check the id: quote ids come from POST /v1/quotes, plan ids from POST /v1/plans or GET /v1/plans.',
    example: { detail: 'the plan was not found', instance: '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60' }
  },
  'active-plan-exists': {
    meaning: 'The loan already has an active plan; a loan has at most one at a time. `existingPlanId` names it.',
    action: 'Read the existing plan; if the borrower really wants another option, cancel it (POST /v1/plans/{id}/cancel) and accept again.',
    example: { detail: 'loan LN-2026-000123 already has an active plan (7d7c1c8e-4f7a-4c0e-9b7e-2a1d3c4b5e6f); cancel it first to accept another option', instance: '/v1/plans', existingPlanId: '7d7c1c8e-4f7a-4c0e-9b7e-2a1d3c4b5e6f' }
  },
  'uri-too-long': {
    meaning: 'A path parameter is longer than 500 characters; no id this API issues is that long.',
    action: 'Check the id you send; it cannot succeed as sent.',
    example: { detail: 'a path parameter is longer than 500 characters', instance: '/v1/quotes/aaaa…' }
  },
  'method-not-allowed': {
    meaning: 'The path exists but not with this HTTP method; the `Allow` header lists the methods it takes.',
    action: 'Use one of the methods in `Allow` (see the OpenAPI document).',
    example: { detail: 'DELETE is not allowed on /v1/quotes; use POST', instance: '/v1/quotes' }
  },
  'request-timeout': {
    meaning: 'The request (headers or body) did not arrive within REQUEST_TIMEOUT_MS, so the connection was closed.',
    action: 'Send the whole request promptly; retry it (with the same Idempotency-Key or reference, if it writes).',
    example: { detail: 'the request did not arrive in time', instance: '/v1/quotes' }
  },
  'storage-quota-exceeded': {
    meaning: 'The tenant keeps as many quotes, plans and payments as TENANT_STORAGE_QUOTA_ROWS allows; nothing new is stored.',
    action: 'Let unaccepted quotes expire (they are deleted QUOTE_RETENTION_DAYS after expiry) or ask the operator for a larger quota.',
    example: { detail: 'this tenant stores 1000000 quotes and plans, its quota; nothing new is stored until some expire', instance: '/v1/quotes' }
  },
  'headers-too-large': {
    meaning: 'The request headers are larger than the server accepts.',
    action: 'Send smaller headers (cookies and long custom headers are the usual cause).',
    example: { detail: 'the request headers are too large', instance: '/v1/quotes' }
  },
  'webhooks-not-configured': {
    meaning: 'Webhook endpoints cannot be created or rotated here: the service runs on an external database without WEBHOOK_ENCRYPTION_KEY, so it has no key to store signing secrets under.',
    action: 'Ask the operator to set WEBHOOK_ENCRYPTION_KEY (base64 of 32 random bytes); meanwhile poll GET /v1/events.',
    example: { detail: 'webhooks are not configured on this service (WEBHOOK_ENCRYPTION_KEY is unset); ask its operator', instance: '/v1/webhook-endpoints' }
  },
  'shutting-down': {
    meaning: 'This replica is shutting down (a deploy or scale-in): it still finishes what it has, but takes nothing new.',
    action: 'Retry after `Retry-After`; a load balancer sends the retry to another replica. Retry writes with the same Idempotency-Key or reference.',
    example: { detail: 'this replica is shutting down; retry, another replica will answer', instance: '/v1/quotes' }
  },
  'payment-reference-conflict': {
    meaning: 'The payment `reference` is already recorded with a different body (another amount, date, note, or another plan). A reference names one sum of money received, once per tenant.',
    action: 'If this is a retry, send exactly the first body again to get the first answer. If it is new money, give it a new reference. `paymentId` names the payment recorded under it.',
    example: { detail: 'reference "PAY-2026-0001" is already recorded (payment 5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b) with a different body; a new payment needs a new reference', instance: '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60/payments', paymentId: '5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b' }
  },
  'plan-not-active': {
    meaning: 'The plan takes no payments: it was cancelled, or it is broken (the borrower breached it and collection has resumed). Broken is final. `planStatus` says which.',
    action: 'Do not retry. Money received after a break belongs to your collection process; a reversal of an earlier payment is still accepted for bookkeeping.',
    example: { detail: 'the plan is broken since 2027-03-08 and takes no payments', instance: '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60/payments', planStatus: 'broken' }
  },
  overpayment: {
    meaning: 'The amount is more than the plan can take on `receivedOn`: at most the payoff amount of that date (`maxAmount`), which forgives interest not yet earned. Nothing was booked.',
    action: 'Book at most `maxAmount` (GET /v1/plans/{id}/payoff?asOf=<receivedOn> shows its parts) and return the rest to the borrower.',
    example: { detail: 'the payment is more than the plan can take on that date: at most 2945.10 (3030.00 is outstanding; paying it off early forgives interest not yet earned, see GET …/payoff)', instance: '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60/payments', maxAmount: '2945.10', outstanding: '3030.00' }
  },
  'received-on-out-of-range': {
    meaning: '`receivedOn` is before the plan was accepted or after today in the policy\'s time zone (`servicing.timeZone`).',
    action: 'Send the date the money was actually received, between `earliest` and `latest`.',
    example: { detail: "receivedOn 2027-01-15 must be from 2026-12-02 (the plan's acceptance) to 2026-12-10 (today in the policy's time zone)", instance: '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60/payments', earliest: '2026-12-02', latest: '2026-12-10' }
  },
  'idempotency-key-in-flight': {
    meaning: 'Another request with the same Idempotency-Key is still being processed and did not finish within the lock timeout.',
    action: 'Retry with the same key and body after `Retry-After`: you then get the first request\'s answer.',
    example: { detail: 'a request with this Idempotency-Key is still being processed; retry shortly', instance: '/v1/plans' }
  },
  'loan-acceptance-in-flight': {
    meaning: 'Another acceptance for the same loan (under a different Idempotency-Key) is still being processed.',
    action: 'Retry after `Retry-After`; if the other acceptance won, the retry answers `active-plan-exists`.',
    example: { detail: 'another acceptance of this loan is still being processed; retry shortly', instance: '/v1/plans' }
  },
  'quote-expired': {
    meaning: 'The quote is past its `expiresAt`; its figures are no longer offered.',
    action: 'Request a new quote (POST /v1/quotes) and accept one of its options.',
    example: { detail: 'the quote expired at 2026-11-30T10:15:00.000Z; request a new quote', instance: '/v1/plans', expiresAt: '2026-11-30T10:15:00.000Z' }
  },
  'payload-too-large': {
    meaning: 'The body is larger than the service accepts (BODY_LIMIT_BYTES, 64 KiB by default).',
    action: 'Send a smaller body; no operation of this API needs a large one.',
    example: { detail: 'the request body exceeds the size limit', instance: '/v1/quotes' }
  },
  'unsupported-media-type': {
    meaning: 'The body is not sent as `application/json` (or the Content-Type header is empty).',
    action: 'Send the body as JSON with `Content-Type: application/json`.',
    example: { detail: 'send the body as application/json', instance: '/v1/quotes' }
  },
  'unknown-option': {
    meaning: 'The `optionId` is not one of the options of that quote.',
    action: 'Pick an `id` from the quote\'s `options` (the `detail` lists them), for example its `recommendedOptionId`.',
    example: { detail: 'the quote has no option "installment-annuity-60"; it offers: installment-annuity-12, installment-annuity-24, deferral-3, settlement', instance: '/v1/plans' }
  },
  'unknown-policy': {
    meaning: 'The quote asks for a policy the tenant does not have.',
    action: 'Use one of the names GET /v1/policies lists, or create the policy with PUT /v1/policies/{name}.',
    example: { detail: 'there is no policy named "cautious"; GET /v1/policies lists yours', instance: '/v1/quotes' }
  },
  'schedule-in-past': {
    meaning: 'The option\'s first payment date has already passed: the quote was computed for an earlier `asOf`.',
    action: 'Request a new quote without `asOf` (it defaults to today) and accept that one.',
    example: { detail: 'the option\'s first payment (2026-10-29) is already past; request a quote with a current asOf', instance: '/v1/plans' }
  },
  'idempotency-key-reused': {
    meaning: 'The Idempotency-Key was already used with a different request body.',
    action: 'Use a fresh key for each new acceptance; reuse a key only to retry the very same request.',
    example: { detail: 'this Idempotency-Key was used with a different request body; use a new key for a new request', instance: '/v1/plans' }
  },
  'rate-limited': {
    meaning: 'Your tenant sent more requests than RATE_LIMIT_PER_MINUTE on this replica within a minute.',
    action: 'Wait `Retry-After` seconds, then continue at a lower rate.',
    example: { detail: 'this API key\'s tenant exceeded 6000 requests a minute; retry in 12 s', instance: '/v1/quotes' }
  },
  'service-unavailable': {
    meaning: 'The database is unreachable, a connection died mid-request, or a lock or statement timed out. A write may or may not have committed.',
    action: 'Retry after `Retry-After`; for POST /v1/plans retry with the same Idempotency-Key, which replays a committed answer or does the work once.',
    example: { detail: 'the service cannot reach its database; retry later', instance: '/v1/plans' }
  },
  overloaded: {
    meaning: 'The service is shedding load: its event loop lags or its heap is over the configured limit.',
    action: 'Retry after `Retry-After`, with backoff; the service recovers by itself when the load drops.',
    example: { detail: 'the service is overloaded; retry after the Retry-After delay', instance: '/v1/quotes' }
  }
} satisfies Record<ProblemCode, ProblemDescription>

/** The problem document the service sends for `code`, as an OpenAPI example value. */
export function problemExample (code: ProblemCode): ProblemFields {
  const kind = PROBLEM_KINDS[code]
  const { detail, instance, ...extensions } = (PROBLEM_DESCRIPTIONS as Record<ProblemCode, ProblemDescription>)[code].example
  return { type: problemType(code), title: kind.title, status: kind.status, detail, instance, ...extensions }
}

/** 500s are `about:blank`: nothing about them is the caller's to fix. */
export const INTERNAL_ERROR_EXAMPLE: ProblemFields = {
  type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred; it has been logged', instance: '/v1/quotes'
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const inlineCode = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')

/** A short HTML page for one problem type. */
export function problemPage (code: ProblemCode, serviceName: string): string {
  const kind = PROBLEM_KINDS[code]
  const { meaning, action } = (PROBLEM_DESCRIPTIONS as Record<ProblemCode, ProblemDescription>)[code]
  const example = JSON.stringify(problemExample(code), null, 2)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(code)} — ${escapeHtml(serviceName)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f4f4f4;padding:0 .2em}pre{padding:.6em;overflow:auto}</style></head>
<body>
<h1><code>${escapeHtml(problemType(code))}</code></h1>
<p><strong>HTTP ${kind.status} ${escapeHtml(kind.title)}</strong></p>
<h2>What it means</h2>
<p>${inlineCode(meaning)}</p>
<h2>What to do</h2>
<p>${inlineCode(action)}</p>
<h2>Example</h2>
<pre>${escapeHtml(example)}</pre>
<p><a href="/problems">All problem types</a> · <a href="/docs">API documentation</a></p>
</body></html>
`
}

/** The index of every problem type. */
export function problemIndexPage (serviceName: string): string {
  const rows = (Object.keys(PROBLEM_DESCRIPTIONS) as ProblemCode[]).map((code) =>
    `<li><a href="/problems/${code}"><code>${code}</code></a> — ${PROBLEM_KINDS[code].status}: ${inlineCode((PROBLEM_DESCRIPTIONS as Record<ProblemCode, ProblemDescription>)[code].meaning.split('. ')[0]!.replace(/\.$/, ''))}</li>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Problem types — ${escapeHtml(serviceName)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code{background:#f4f4f4;padding:0 .2em}</style></head>
<body>
<h1>Problem types</h1>
<p>Every error is <code>application/problem+json</code> (RFC 9457); its <code>type</code> is one of these. 500s are <code>about:blank</code>.</p>
<ul>
${rows}
</ul>
<p><a href="/docs">API documentation</a></p>
</body></html>
`
}
