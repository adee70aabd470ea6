/**
 * Settings every test app and test server starts with: load shedding off unless a test asks for
 * it, since compiling TypeScript on the fly and a busy CI machine stall the event loop.
 */
export const TEST_ENV = { MAX_EVENT_LOOP_DELAY_MS: '60000' } as const
