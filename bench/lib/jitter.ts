// A third process that only keeps a 1 ms timer and notes how late it fires: the machine's own
// scheduling stalls during a phase. When it stalls at the moments the server and the load
// generator do, a latency tail is the machine's (its cores were not free to run anyone), not
// the service's. Run as a forked child of the bench: `jitterProbe()` starts it, `stop()`
// returns { stalls, worstMs, stalledMsPerS }.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { onCleanup } from './cleanup.js'

// A tick this much later than due counts as a stall (ms).
const STALL_MS = 10

export interface Stalls { stalls: number, worstMs: number, stalledMsPerS: number }

export function jitterProbe (): { ready: Promise<unknown>, stop: () => Promise<Stalls> } {
  const child = fork(fileURLToPath(import.meta.url), ['probe'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  onCleanup(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const ready = new Promise((resolve) => child.once('message', resolve))
  return {
    ready,
    async stop () {
      const result = new Promise<Stalls>((resolve) => child.once('message', (m) => { resolve(m as Stalls) }))
      child.send('stop')
      const r = await result
      await exited
      return r
    }
  }
}

function probe (): void {
  const start = performance.now()
  let last = start
  let stalls = 0
  let worst = 0
  let stalled = 0
  const timer = setInterval(() => {
    const now = performance.now()
    const late = now - last - 1
    if (late >= STALL_MS) { stalls++; stalled += late; worst = Math.max(worst, late) }
    last = now
  }, 1)
  process.on('message', () => {
    clearInterval(timer)
    const seconds = (performance.now() - start) / 1000
    const result: Stalls = { stalls, worstMs: worst, stalledMsPerS: stalled / seconds }
    process.send?.(result, undefined, undefined, () => process.exit(0))
  })
  process.send?.('ready')
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'probe') {
  if (process.send === undefined) throw new Error('the jitter probe runs as a forked child, with IPC')
  probe()
}
