import t from 'tap'
import { MicroBatcher } from '../../src/db/micro-batcher.js'

const nextTurn = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

// A batch runner that the test finishes by hand, recording batches and how many ran at once.
function manualRunner () {
  const batches: string[][] = []
  const waiting: Array<() => void> = []
  let running = 0
  let mostAtOnce = 0
  const run = async (items: string[]): Promise<string[]> => {
    batches.push(items)
    running++
    mostAtOnce = Math.max(mostAtOnce, running)
    await new Promise<void>((resolve) => waiting.push(resolve))
    running--
    return items.map((i) => i.toUpperCase())
  }
  return { run, batches, finishOne: () => { waiting.shift()?.() }, mostAtOnce: () => mostAtOnce }
}

t.test('with one batch in flight, what arrives meanwhile goes as one batch when it finishes', async (t) => {
  const r = manualRunner()
  const batcher = new MicroBatcher({ run: r.run, maxInFlight: 1 })
  const a = batcher.submit('a')
  await nextTurn()
  const rest = ['b', 'c', 'd'].map((x) => { const p = batcher.submit(x); return p })
  await nextTurn()
  await nextTurn()
  t.same(r.batches, [['a']], 'b, c and d wait while a runs')
  r.finishOne()
  t.equal(await a, 'A')
  await nextTurn()
  t.same(r.batches, [['a'], ['b', 'c', 'd']], 'then they go together')
  r.finishOne()
  t.same(await Promise.all(rest), ['B', 'C', 'D'])
  t.equal(r.mostAtOnce(), 1)
})

t.test('unbounded, each turn of the event loop is its own batch, all running at once', async (t) => {
  const r = manualRunner()
  const batcher = new MicroBatcher({ run: r.run })
  const all = []
  for (const x of ['a', 'b', 'c']) { all.push(batcher.submit(x)); await nextTurn() }
  t.same(r.batches, [['a'], ['b'], ['c']])
  t.equal(r.mostAtOnce(), 3)
  r.finishOne(); r.finishOne(); r.finishOne()
  t.same(await Promise.all(all), ['A', 'B', 'C'])
})

t.test('a failed batch frees its slot: fallback answers each item and the queue moves on', async (t) => {
  let calls = 0
  const batcher = new MicroBatcher<string, string>({
    run: async (items) => { calls++; if (calls === 1) throw new Error('batch failed'); return items },
    fallback: async (item) => `alone:${item}`,
    maxInFlight: 1
  })
  const first = [batcher.submit('a'), batcher.submit('b')]
  await nextTurn()
  const later = batcher.submit('c')
  t.same(await Promise.all(first), ['alone:a', 'alone:b'])
  t.equal(await later, 'c', 'the next batch ran after the failed one')
})

t.test('batches are capped at maxBatch even when a backlog built up', async (t) => {
  const r = manualRunner()
  const batcher = new MicroBatcher({ run: r.run, maxInFlight: 1, maxBatch: 2 })
  const all = ['a', 'b', 'c', 'd', 'e'].map((x) => batcher.submit(x))
  await nextTurn()
  t.same(r.batches, [['a', 'b']], 'the cap flushes at once; the rest wait for the slot')
  r.finishOne(); await nextTurn(); await nextTurn()
  r.finishOne(); await nextTurn(); await nextTurn()
  r.finishOne()
  t.same(await Promise.all(all), ['A', 'B', 'C', 'D', 'E'])
  t.same(r.batches, [['a', 'b'], ['c', 'd'], ['e']])
})
