// The shared tail of every bench entry point: run, report a crash, always clean up, exit 1 on failures.
import { fileURLToPath } from 'node:url'
import { cleanup } from './cleanup.js'
import { fail } from './report.js'

export async function runAsMain (main: () => Promise<number>): Promise<never> {
  let code = 1
  try {
    code = (await main()) > 0 ? 1 : 0
  } catch (err) {
    fail(err instanceof Error ? err.stack ?? err.message : String(err))
  } finally {
    await cleanup()
  }
  process.exit(code)
}

/** Whether the module at `url` is the script node was started with (not imported). */
export const isMain = (url: string): boolean => process.argv[1] === fileURLToPath(url)
