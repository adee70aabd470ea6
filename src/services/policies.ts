import { policyProblems, standardPolicy, type Policy } from '../domain/index.js'
import { InvalidPolicy, NotFound, TooMuchContention, UnknownPolicy } from '../domain/errors.js'
import { insertPolicyVersion, latestPolicies, latestPolicy } from '../db/policies-repository.js'
import type { Queryable } from '../db/pool.js'
import type { PolicyView } from '../schemas/policy.js'
import type { TenantCache } from './tenant-cache.js'

export const STANDARD = 'standard'
// The built-in standard policy is version 1 of every tenant's `standard`; a tenant's own change is version 2.
const BUILT_IN_VERSION = 1
const MAX_VERSION_ATTEMPTS = 5

export interface ResolvedPolicy { name: string, version: number, rules: Policy }

export function builtInStandard (): PolicyView {
  return { name: STANDARD, version: BUILT_IN_VERSION, builtIn: true, createdAt: null, rules: structuredClone(standardPolicy) as PolicyView['rules'] }
}

/** The tenant's versioned lending policies; the built-in standard stands in until a tenant changes it. */
export class PolicyService {
  constructor (private readonly db: Queryable, private readonly cache?: TenantCache<ResolvedPolicy>) {}

  async find (tenantId: string, name: string): Promise<PolicyView> {
    const stored = await latestPolicy(this.db, tenantId, name)
    if (stored !== undefined) return { ...stored, builtIn: false, rules: stored.rules as PolicyView['rules'] }
    if (name === STANDARD) return builtInStandard()
    throw new NotFound('policy')
  }

  async list (tenantId: string): Promise<PolicyView[]> {
    const stored = (await latestPolicies(this.db, tenantId)).map((p): PolicyView => ({ ...p, builtIn: false, rules: p.rules as PolicyView['rules'] }))
    return stored.some((p) => p.name === STANDARD) ? stored : [builtInStandard(), ...stored].sort((a, b) => a.name.localeCompare(b.name))
  }

  async save (tenantId: string, name: string, rules: Policy): Promise<PolicyView> {
    const problems = policyProblems(rules)
    if (problems.length > 0) throw new InvalidPolicy(problems.map((p) => ({ path: `/body${p.path}`, message: p.message })))
    const floor = name === STANDARD ? BUILT_IN_VERSION : 0
    for (let attempt = 1; attempt <= MAX_VERSION_ATTEMPTS; attempt++) {
      // Two writers took the same version number: the loser simply takes the next one.
      const stored = await insertPolicyVersion(this.db, tenantId, name, rules, floor)
      if (stored !== undefined) return { ...stored, builtIn: false, rules: stored.rules as PolicyView['rules'] }
    }
    throw new TooMuchContention('this policy')
  }

  /** The policy a quote uses: the latest version, cached while change notifications are live. */
  async resolve (tenantId: string, name: string): Promise<ResolvedPolicy> {
    const cacheKey = `${tenantId}:${name}`
    const cached = this.cache?.get(cacheKey)
    if (cached !== undefined) return cached
    const token = this.cache?.token() ?? 0
    const stored = await latestPolicy(this.db, tenantId, name)
    let resolved: ResolvedPolicy
    if (stored !== undefined) resolved = { name, version: stored.version, rules: stored.rules }
    // The frozen built-in is shared as is: the engine never mutates a policy.
    else if (name === STANDARD) resolved = { name, version: BUILT_IN_VERSION, rules: standardPolicy }
    else throw new UnknownPolicy(name)
    this.cache?.set(cacheKey, tenantId, resolved, token)
    return resolved
  }
}
