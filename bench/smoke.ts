// Smoke mode: the whole bench with 1 s phases; exit 0 only without request errors.
// The settings are read when main() runs, so setting them before the call is enough.
import { main } from './run.js'
import { runAsMain } from './lib/runner.js'

process.env.BENCH_SECONDS ??= '1'
process.env.BENCH_ENGINE_SECONDS ??= '1'
process.env.BENCH_CONNECTIONS ??= '4'
await runAsMain(main)
