import t from 'tap'
import { listedSchedule, parseSchedule, standardSchedule, withJitter } from '../../src/services/webhook-retry.js'

const S = 1000
const H = 3600 * S

t.test('the standard schedule: 5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h until about three days since the first attempt', async (t) => {
  const delays: number[] = []
  let since = 0
  for (let attempts = 1; ; attempts++) {
    const delay = standardSchedule.delayAfter(attempts, since)
    if (delay === undefined) break
    delays.push(delay)
    since += delay
  }
  t.same(delays.slice(0, 6), [5 * S, 30 * S, 120 * S, 600 * S, H, 6 * H])
  t.ok(delays.slice(5).every((d) => d === 6 * H), 'then every 6 hours')
  t.ok(since <= 72 * H && since > 66 * H, `the last attempt is within three days (${since / H} h)`)
  t.equal(delays.length, 16, 'sixteen retries, seventeen attempts in all')
})

t.test('WEBHOOK_RETRY_SCHEDULE_MS lists the delays, then gives up; empty is the standard schedule', async (t) => {
  const s = parseSchedule('10,20')
  t.equal(s.delayAfter(1, 0), 10)
  t.equal(s.delayAfter(2, 10), 20)
  t.equal(s.delayAfter(3, 30), undefined)
  t.equal(parseSchedule(''), standardSchedule)
  t.equal(listedSchedule([]).delayAfter(1, 0), undefined, 'no retries at all')
})

t.test('jitter spreads a delay by ±20 %', async (t) => {
  t.equal(withJitter(1000, () => 0), 800)
  t.equal(withJitter(1000, () => 0.5), 1000)
  t.equal(withJitter(1000, () => 1), 1200)
})
