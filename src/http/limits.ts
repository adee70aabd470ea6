/**
 * Counts events per key in fixed one-minute windows, in memory, bounded: when more than `maxKeys`
 * keys are tracked the oldest window's counts are dropped (a flood from many addresses costs
 * memory only up to the bound). Reusable for any per-client budget.
 */
export class WindowCounter {
  private window = 0
  private counts = new Map<string, number>()

  constructor (private readonly windowMs = 60_000, private readonly maxKeys = 100_000, private readonly now = () => Date.now()) {}

  private roll (): void {
    const window = Math.floor(this.now() / this.windowMs)
    if (window !== this.window) { this.window = window; this.counts = new Map() }
  }

  count (key: string): number {
    this.roll()
    return this.counts.get(key) ?? 0
  }

  add (key: string, n = 1): number {
    this.roll()
    if (this.counts.size >= this.maxKeys && !this.counts.has(key)) this.counts.clear()
    const total = (this.counts.get(key) ?? 0) + n
    this.counts.set(key, total)
    return total
  }

  /** Whole seconds until the current window ends (at least 1). */
  retryAfterSeconds (): number {
    return Math.max(1, Math.ceil(((this.window + 1) * this.windowMs - this.now()) / 1000))
  }
}

/** Remembers keys for `ttlMs`, bounded to `maxKeys` (cleared when full). */
export class ExpiringSet {
  private readonly until = new Map<string, number>()

  constructor (private readonly ttlMs: number, private readonly maxKeys = 10_000, private readonly now = () => Date.now()) {}

  has (key: string): boolean {
    const until = this.until.get(key)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.until.delete(key)
    return false
  }

  add (key: string): void {
    if (this.ttlMs <= 0) return
    if (this.until.size >= this.maxKeys) this.until.clear()
    this.until.set(key, this.now() + this.ttlMs)
  }
}
