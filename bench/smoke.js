// Smoke mode: the whole bench with 1 s phases (~20 s); exit 0 only without request errors.
process.env.BENCH_SECONDS ??= '1'
process.env.BENCH_ENGINE_SECONDS ??= '1'
process.env.BENCH_CONNECTIONS ??= '4'
await import('./run.js').then(async ({ main }) => {
  const { cleanup } = await import('./lib/cleanup.js')
  let code = 1
  try {
    code = (await main()) > 0 ? 1 : 0
  } catch (err) {
    console.log(`!!!!!!!! FAIL: ${err.stack ?? err} !!!!!!!!`)
  } finally {
    await cleanup()
  }
  process.exit(code)
})
