// One place that undoes everything the bench started (LIFO), on success, failure or Ctrl-C.
type Step = () => unknown
const steps: Step[] = []
let running: Promise<void> | undefined

export function onCleanup (fn: Step): void {
  steps.push(fn)
}

export async function cleanup (): Promise<void> {
  running ??= (async () => {
    for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
      try { await step() } catch (err) { process.stderr.write(`cleanup: ${err instanceof Error ? err.message : String(err)}\n`) }
    }
  })()
  return await running
}

// Signals and crashes still remove the cluster and children; a second Ctrl-C is not swallowed.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: cleaning up\n`)
    void cleanup().finally(() => process.exit(130))
  })
}
process.on('uncaughtException', (err) => {
  process.stderr.write(`uncaught: ${err.stack ?? String(err)}\n`)
  void cleanup().finally(() => process.exit(1))
})
