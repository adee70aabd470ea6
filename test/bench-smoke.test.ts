import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { repoRoot } from './helpers/process.js'

// Not a timing test: it proves the benchmark still runs end to end (its own cluster, the
// compiled server, every phase with zero failed requests) so it cannot rot between runs.
// It compiles the bench (dist-bench/) and runs it as `npm run bench:smoke` does, without
// rebuilding dist/, which other test files may be running at the same time.
t.test('the benchmark runs end to end in smoke mode with no failed request', async (t) => {
  const run = promisify(execFile)
  await run('npm', ['run', 'bench:build', '--silent'], { cwd: repoRoot, timeout: 120_000 })
  const { stdout } = await run(process.execPath, ['dist-bench/bench/smoke.js'], { cwd: repoRoot, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 })
  for (const figure of ['engine_quotes_per_s', 'http_quotes_rps', 'http_plans_rps', 'http_get_plan_rps', 'bare_quotes_rps', 'pgbench_insert_tps']) {
    t.match(stdout, new RegExp(`^${figure} [0-9.]+ `, 'm'), `prints ${figure}`)
  }
  t.notMatch(stdout, /FAIL/)
})
