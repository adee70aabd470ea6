import fc from 'fast-check'
import t from 'tap'
import { timeOrderedUuid } from '../../src/services/ids.js'

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a time-ordered id is a version 7 UUID carrying its instant, and later instants sort later', async (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 48 - 2 }), fc.integer({ min: 1, max: 10 ** 9 }), (ms, gap) => {
    const a = timeOrderedUuid(new Date(ms))
    const b = timeOrderedUuid(new Date(Math.min(2 ** 48 - 1, ms + gap)))
    return V7.test(a) && V7.test(b) && a < b && parseInt(a.replace(/-/g, '').slice(0, 12), 16) === ms
  }), { numRuns: 2000 })
  const now = new Date('2026-12-02T04:00:00.000Z')
  const same = Array.from({ length: 1000 }, () => timeOrderedUuid(now))
  t.equal(new Set(same).size, 1000, 'ids of one millisecond differ (74 random bits)')
  t.ok(same.every((id) => id.startsWith('01a234e8-')), 'and share the instant: 2026-12-02T04:00Z is 0x01a234e8…')
})
