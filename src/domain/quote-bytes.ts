// The stored and returned quote document as UTF-8 JSON bytes, written field by field from the
// exact Quote, without the row objects, the string pieces and the two encodings that
// JSON.stringify of quoteToJson costs (same-run figures in bench/README.md). Its shape is the
// Quote schema's (src/schemas/quote.ts): tests hold the bytes to JSON.stringify of quoteToJson,
// whose type is derived from the schema, and to the schema's property order.
import { toDecimalString } from './decimal.js'
import { JsonBytes } from './json-bytes.js'
import type { AmortizationTable } from './amortization-table.js'
import type { Quote } from './quote.js'
import type { QuoteView } from '../schemas/quote.js'

/** What the service adds around the engine's figures. */
export type QuoteHeader = Pick<QuoteView, 'id' | 'policy' | 'createdAt' | 'expiresAt'>

// One writer per process, reused: the document is copied out at the end, and nothing here awaits.
const writer = new JsonBytes()

/** The document, and where its `options` array begins and ends in it. */
export interface QuoteBytes { json: Uint8Array, optionsStart: number, optionsEnd: number }

export function quoteJsonBytes (q: Quote, header: QuoteHeader): QuoteBytes {
  const w = writer.reset()
  const { input, penalty: p, affordability: a } = q
  const d = input.digits
  w.raw('{"id":').string(header.id)
    .raw(',"policy":{"name":').string(header.policy.name).raw(',"version":').number(header.policy.version)
    .raw('},"createdAt":').string(header.createdAt).raw(',"expiresAt":').string(header.expiresAt)
    .raw(',"asOf":').string(input.asOf)
    .raw(',"loan":{"loanId":').string(input.loanId).raw(',"currency":').string(input.currency)
    .raw(',"balance":').money(input.balance, d).raw(',"overdueDays":').number(input.overdueDays)
    .raw(',"overdueAmount":').money(input.overdueAmount, d)
    .raw(',"annualInterestRate":').string(toDecimalString(input.annualInterestRate))
    .raw(',"accruedInterest":').money(input.accruedInterest, d).raw(',"feesDue":').money(input.feesDue, d)
    .raw('},"borrower":{"monthlyIncome":').money(input.monthlyIncome, d)
    .raw(',"monthlyObligations":').money(input.monthlyObligations, d).raw(',"availableFunds":')
  if (input.availableFunds === null) w.raw('null')
  else w.money(input.availableFunds, d)
  w.raw('},"delinquencyBucket":').string(q.delinquencyBucket)
    .raw(',"penalty":{"base":').money(p.base, d)
    .raw(',"annualInterestRate":').string(toDecimalString(p.annualInterestRate))
    .raw(',"penaltyMarkup":').string(toDecimalString(p.penaltyMarkup))
    .raw(',"penaltyRate":').string(toDecimalString(p.penaltyRate))
    .raw(',"graceDays":').number(p.graceDays).raw(',"overdueDays":').number(p.overdueDays)
    .raw(',"chargeableDays":').number(p.chargeableDays)
    .raw(',"penaltyInterest":').money(p.penaltyInterest, d).raw(',"lateFee":').money(p.lateFee, d).raw(',"cap":')
  if (p.cap === null) w.raw('null')
  else w.money(p.cap, d)
  w.raw(',"capApplied":').boolean(p.capApplied).raw(',"capReduction":').money(p.capReduction, d)
    .raw(',"total":').money(p.total, d)
    .raw('},"totalDue":').money(q.totalDue, d)
    .raw(',"affordability":{"monthlyIncome":').money(a.monthlyIncome, d)
    .raw(',"monthlyObligations":').money(a.monthlyObligations, d)
    .raw(',"disposableIncome":').money(a.disposableIncome, d)
    .raw(',"maxShareOfDisposableIncome":').string(toDecimalString(a.maxShareOfDisposableIncome))
    .raw(',"maxAffordablePayment":').money(a.maxAffordablePayment, d)
    .raw('},"options":')
  const optionsStart = w.length
  w.raw('[')
  for (let i = 0; i < q.options.length; i++) {
    const o = q.options[i] as Quote['options'][number]
    w.raw(i === 0 ? '{"id":' : ',{"id":').string(o.id).raw(',"type":').string(o.type)
      .raw(',"termMonths":').nullableNumber(o.termMonths).raw(',"method":').nullableString(o.method)
      .raw(',"holidayMonths":').nullableNumber(o.holidayMonths).raw(',"amountFinanced":').money(o.amountFinanced, d)
      .raw(',"schedule":[')
    schedule(w, o.table, d)
    w.raw('],"totalRepayable":').money(o.totalRepayable, d).raw(',"totalInterest":').money(o.totalInterest, d)
      .raw(',"penaltyWaived":').money(o.penaltyWaived, d).raw(',"discount":').money(o.discount, d)
      .raw(',"capitalizedInterest":').money(o.capitalizedInterest, d).raw(',"maxPayment":').money(o.maxPayment, d)
      .raw(',"firstPaymentDate":').string(o.firstPaymentDate).raw(',"apr":').string(o.apr)
      .raw(',"paymentToIncome":').nullableString(o.paymentToIncome).raw(',"affordable":').boolean(o.affordable)
      .raw(',"summary":').string(o.summary).raw('}')
  }
  w.raw(']')
  const optionsEnd = w.length
  w.raw(',"rejectedOptions":[')
  for (let i = 0; i < q.rejectedOptions.length; i++) {
    const r = q.rejectedOptions[i] as Quote['rejectedOptions'][number]
    w.raw(i === 0 ? '{"id":' : ',{"id":').string(r.id).raw(',"type":').string(r.type).raw(',"reason":').string(r.reason).raw('}')
  }
  w.raw('],"recommendedOptionId":').nullableString(q.recommendedOptionId)
    .raw(',"closestOptionId":').nullableString(q.closestOptionId)
    .raw(',"needsReview":').boolean(q.needsReview)
    .raw(',"reviewReason":').nullableString(q.reviewReason).raw('}')
  return { json: w.bytes(), optionsStart, optionsEnd }
}

function schedule (w: JsonBytes, t: AmortizationTable, digits: number): void {
  for (let k = 0; k < t.dueDates.length; k++) {
    w.raw(k === 0 ? '{"number":' : ',{"number":').number(k + 1)
      .raw(',"dueDate":"').raw(t.dueDates[k] as string)
      .raw('","payment":').money(t.payment[k] as number | bigint, digits)
      .raw(',"principal":').money(t.principal[k] as number | bigint, digits)
      .raw(',"interest":').money(t.interest[k] as number | bigint, digits)
      .raw(',"balance":').money(t.balance[k] as number | bigint, digits).raw('}')
  }
}
