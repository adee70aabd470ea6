// Which plan to put first: the cheapest one the borrower can afford. When
// none fits the budget a person must review, pointed at the closest option.
import type { Affordability } from './affordability.js'
import type { RepaymentOption } from './options.js'
import { amount } from './option-text.js'
import type { TextContext } from './option-text.js'

export interface Recommendation {
  readonly recommendedOptionId: string | null
  readonly closestOptionId: string | null
  readonly needsReview: boolean
  readonly reviewReason: string | null
}

function isPlan (o: RepaymentOption): boolean {
  return o.type === 'installment' || o.type === 'deferral'
}

// Strictly-better comparisons keep the earlier option on a full tie.
function cheaper (a: RepaymentOption, b: RepaymentOption): boolean {
  if (a.totalRepayable !== b.totalRepayable) return a.totalRepayable < b.totalRepayable
  return (a.termMonths ?? 0) < (b.termMonths ?? 0)
}

function lighter (a: RepaymentOption, b: RepaymentOption): boolean {
  if (a.maxPayment !== b.maxPayment) return a.maxPayment < b.maxPayment
  return a.totalRepayable < b.totalRepayable
}

export function recommend (options: readonly RepaymentOption[], affordability: Affordability, text: TextContext): Recommendation {
  let best: RepaymentOption | undefined
  let closest: RepaymentOption | undefined
  for (const o of options) {
    if (!isPlan(o)) continue
    if (o.affordable === true && (best === undefined || cheaper(o, best))) best = o
    if (closest === undefined || lighter(o, closest)) closest = o
  }
  if (best !== undefined) {
    return { recommendedOptionId: best.id, closestOptionId: null, needsReview: false, reviewReason: null }
  }
  const budget = amount(text, affordability.maxAffordablePayment)
  return {
    recommendedOptionId: null,
    closestOptionId: closest?.id ?? null,
    needsReview: true,
    reviewReason: closest === undefined
      ? `No installment or payment-holiday plan is available, so none can fit the borrower's budget of ${budget} a month.`
      : `No plan fits the borrower's budget: they can afford at most ${budget} a month, but the lowest monthly payment on offer is ${amount(text, closest.maxPayment)}.`
  }
}
