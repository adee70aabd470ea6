// The shared tail of every bench entry point: run, report a crash, always clean up, exit 1 on failures.
import { cleanup } from './cleanup.js'
import { fail } from './report.js'

export async function runAsMain (main) {
  let code = 1
  try {
    code = (await main()) > 0 ? 1 : 0
  } catch (err) {
    fail(err.stack ?? String(err))
  } finally {
    await cleanup()
  }
  process.exit(code)
}
