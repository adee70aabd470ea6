import { policyProblems, standardPolicy, type Policy } from '../domain/index.js'
import { insertPolicyVersion, latestPolicies, latestPolicy } from '../db/policies-repository.js'
import type { TenantCache } from './tenant-cache.js'
import type { Queryable } from '../db/pool.js'
import { Problem } from '../http/problems.js'
import type { PolicyView } from '../http/schemas/policy.js'

export const STANDARD = 'standard'
// The built-in standard policy is version 1 of every tenant's `standard`; a tenant's own change is version 2.
const BUILT_IN_VERSION = 1

export interface ResolvedPolicy { name: string, version: number, rules: Policy }

export function builtInStandard (): PolicyView {
  return { name: STANDARD, version: BUILT_IN_VERSION, builtIn: true, createdAt: null, rules: structuredClone(standardPolicy) as PolicyView['rules'] }
}

export async function findPolicy (db: Queryable, tenantId: string, name: string): Promise<PolicyView | undefined> {
  const stored = await latestPolicy(db, tenantId, name)
  if (stored !== undefined) return { ...stored, builtIn: false, rules: stored.rules as PolicyView['rules'] }
  return name === STANDARD ? builtInStandard() : undefined
}

export async function listPolicies (db: Queryable, tenantId: string): Promise<PolicyView[]> {
  const stored = (await latestPolicies(db, tenantId)).map((p): PolicyView => ({ ...p, builtIn: false, rules: p.rules as PolicyView['rules'] }))
  return stored.some((p) => p.name === STANDARD) ? stored : [builtInStandard(), ...stored].sort((a, b) => a.name.localeCompare(b.name))
}

export async function savePolicy (db: Queryable, tenantId: string, name: string, rules: Policy): Promise<PolicyView> {
  const problems = policyProblems(rules)
  if (problems.length > 0) {
    const errors = problems.map((p) => ({ path: `/body${p.path}`, message: p.message }))
    throw new Problem(400, 'invalid-policy', 'Bad Request', errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors })
  }
  const floor = name === STANDARD ? BUILT_IN_VERSION : 0
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await insertPolicyVersion(db, tenantId, name, rules, floor)
      return { ...stored, builtIn: false, rules: stored.rules as PolicyView['rules'] }
    } catch (err) {
      // Two writers took the same version number: the loser simply takes the next one.
      if ((err as { code?: string }).code !== '23505') throw err
      if (attempt >= 5) throw new Problem(503, 'service-unavailable', 'Service Unavailable', 'too many concurrent changes to this policy; retry shortly', {}, { 'retry-after': '1' })
    }
  }
}

/** The policy a quote uses: the latest version, cached while change notifications are live. */
export async function resolvePolicy (db: Queryable, tenantId: string, name: string, cache?: TenantCache<ResolvedPolicy>): Promise<ResolvedPolicy> {
  const cacheKey = `${tenantId}:${name}`
  const cached = cache?.get(cacheKey)
  if (cached !== undefined) return cached
  const token = cache?.token() ?? 0
  const stored = await latestPolicy(db, tenantId, name)
  let resolved: ResolvedPolicy
  if (stored !== undefined) resolved = { name, version: stored.version, rules: stored.rules }
  // The frozen built-in is shared as is: the engine never mutates a policy.
  else if (name === STANDARD) resolved = { name, version: BUILT_IN_VERSION, rules: standardPolicy }
  else throw new Problem(422, 'unknown-policy', 'Unprocessable Content', `there is no policy named "${name}"; GET /v1/policies lists yours`)
  cache?.set(cacheKey, tenantId, resolved, token)
  return resolved
}
