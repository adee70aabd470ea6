import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { repoRoot } from './helpers/process.js'

// Not a timing test: it proves the benchmark still runs end to end (its own cluster, the
// compiled server, every phase with zero failed requests) so it cannot rot between runs.
t.test('the benchmark runs end to end in smoke mode with no failed request', async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, ['bench/smoke.js'], { cwd: repoRoot, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 })
  for (const figure of ['engine_quotes_per_s', 'http_quotes_rps', 'http_plans_rps', 'http_get_plan_rps', 'bare_quotes_rps', 'pgbench_insert_tps']) {
    t.match(stdout, new RegExp(`^${figure} [0-9.]+ `, 'm'), `prints ${figure}`)
  }
  t.notMatch(stdout, /FAIL/)
})
