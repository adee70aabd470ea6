/**
 * Settings every test app and test server starts with: event-loop load shedding off unless a test
 * asks for it, since compiling TypeScript on the fly and a busy CI machine stall the event loop,
 * and under-pressure treats an interval without a single lag sample as infinite lag. Failed
 * authentications are not limited per address either (every injected request comes from
 * 127.0.0.1, and suites send hundreds of 401s on purpose); test/http/auth-floods.test.ts sets it.
 * The sweep and the webhook delivery worker do not run on their own; the tests of each turn them on.
 */
export const TEST_ENV = { MAX_EVENT_LOOP_DELAY_MS: '0', SWEEP_INTERVAL_MS: '0', WEBHOOK_POLL_INTERVAL_MS: '0', AUTH_FAILURES_PER_MINUTE: '0' } as const

/** A fixed WEBHOOK_ENCRYPTION_KEY for the tests that turn webhooks on (the others run without one: webhooks off). */
export const TEST_WEBHOOK_KEY = Buffer.alloc(32, 7).toString('base64')
