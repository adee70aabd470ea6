// One place that undoes everything the bench started (LIFO), on success, failure or Ctrl-C.
const steps = []
let running

export function onCleanup (fn) {
  steps.push(fn)
}

export async function cleanup () {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()
      try { await step() } catch (err) { process.stderr.write(`cleanup: ${err.message}\n`) }
    }
  })()
  return running
}

// Signals and crashes still remove the cluster and children; a second Ctrl-C is not swallowed.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: cleaning up\n`)
    cleanup().finally(() => process.exit(130))
  })
}
process.on('uncaughtException', (err) => {
  process.stderr.write(`uncaught: ${err.stack ?? err}\n`)
  cleanup().finally(() => process.exit(1))
})
