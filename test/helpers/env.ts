/**
 * Settings every test app and test server starts with: event-loop load shedding off unless a test
 * asks for it, since compiling TypeScript on the fly and a busy CI machine stall the event loop,
 * and under-pressure treats an interval without a single lag sample as infinite lag.
 */
export const TEST_ENV = { MAX_EVENT_LOOP_DELAY_MS: '0', SWEEP_INTERVAL_MS: '0' } as const
