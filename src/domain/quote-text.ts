// The stored and returned quote document as JSON text, written straight from the engine's
// schedule columns: byte for byte JSON.stringify({ ...header, ...quoteToJson(q) }) without
// building ~100 row objects and then serializing them (a quarter of a quote's time). Every
// field outside the schedules still goes through JSON.stringify, so escaping stays its job;
// a schedule row holds only a number, an ISO date and amounts rendered from digits.
import { formatMoney, formatMoneyNumber } from './money.js'
import type { AmortizationTable } from './amortization-table.js'
import { optionHeadJson, optionTailJson, quoteHeadJson, quoteTailJson } from './quote-json.js'
import type { Quote } from './quote.js'

export interface QuoteHeader {
  id: string
  policy: { name: string, version: number }
  createdAt: string
  expiresAt: string
}

export function quoteJsonText (q: Quote, header: QuoteHeader): string {
  const digits = q.input.digits
  let text = JSON.stringify({ ...header, ...quoteHeadJson(q) }).slice(0, -1) + ',"options":['
  for (let i = 0; i < q.options.length; i++) {
    const o = q.options[i] as Quote['options'][number]
    if (i > 0) text += ','
    text += JSON.stringify(optionHeadJson(o, digits)).slice(0, -1) + ',"schedule":' + scheduleText(o.table, digits) + ',' +
      JSON.stringify(optionTailJson(o, digits)).slice(1)
  }
  return text + '],' + JSON.stringify(quoteTailJson(q)).slice(1)
}

// Each money column remembers its last amount and text: level payments repeat row after row,
// and holiday rows repeat zeros and the balance.
function scheduleText (t: AmortizationTable, digits: number): string {
  const rows = t.dueDates.length
  if (rows === 0) return '[]'
  const money = t.exact
    ? (v: number | bigint) => formatMoneyNumber(v as number, digits)
    : (v: number | bigint) => formatMoney(v as bigint, digits)
  let lastPayment: number | bigint = -1
  let paymentText = ''
  let lastPrincipal: number | bigint = -1
  let principalText = ''
  let lastInterest: number | bigint = -1
  let interestText = ''
  let lastBalance: number | bigint = -1
  let balanceText = ''
  let text = '['
  for (let k = 0; k < rows; k++) {
    const payment = t.payment[k] as number | bigint
    const principal = t.principal[k] as number | bigint
    const interest = t.interest[k] as number | bigint
    const balance = t.balance[k] as number | bigint
    if (payment !== lastPayment) { lastPayment = payment; paymentText = money(payment) }
    if (principal !== lastPrincipal) { lastPrincipal = principal; principalText = money(principal) }
    if (interest !== lastInterest) { lastInterest = interest; interestText = money(interest) }
    if (balance !== lastBalance) { lastBalance = balance; balanceText = money(balance) }
    text += (k === 0 ? '{"number":' : ',{"number":') + (k + 1) + ',"dueDate":"' + (t.dueDates[k] as string) +
      '","payment":"' + paymentText + '","principal":"' + principalText + '","interest":"' + interestText +
      '","balance":"' + balanceText + '"}'
  }
  return text + ']'
}
