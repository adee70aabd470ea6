/**
 * A small per-tenant cache that is only trusted while change notifications are live, so a
 * revoked key or a new policy version is forgotten by every replica within moments.
 */
export class TenantCache<V> {
  private readonly entries = new Map<string, { tenantId: string, value: V, expiresAt: number }>()
  // Bumped on every change: a value read from the database before a change is not cached after it.
  private generation = 0

  constructor (private readonly isLive: () => boolean, private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  get (key: string): V | undefined {
    if (!this.isLive()) return undefined
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt < Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }

  /** Take before reading the database; pass to `set` with what was read. */
  token (): number {
    return this.generation
  }

  set (key: string, tenantId: string, value: V, token: number): void {
    if (!this.isLive() || token !== this.generation) return
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, { tenantId, value, expiresAt: Date.now() + this.ttlMs })
  }

  forgetTenant (tenantId: string): void {
    this.generation++
    for (const [key, entry] of this.entries) if (entry.tenantId === tenantId) this.entries.delete(key)
  }

  clear (): void {
    this.generation++
    this.entries.clear()
  }
}
