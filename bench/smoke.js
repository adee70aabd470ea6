// Smoke mode: the whole bench with 1 s phases (~20 s); exit 0 only without request errors.
process.env.BENCH_SECONDS ??= '1'
process.env.BENCH_ENGINE_SECONDS ??= '1'
process.env.BENCH_CONNECTIONS ??= '4'
const { main } = await import('./run.js')
const { runAsMain } = await import('./lib/runner.js')
await runAsMain(main)
