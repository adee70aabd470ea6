// A schedule held column by column. Below 2^53 every amount is an exact
// integer Number, so the common case carries plain numbers and only the
// fallback for huge principals pays for a bigint per cell; nothing here
// rounds, it only stores what the row loop computed.

// One month of a schedule as bigint records (the row form of a table).
export interface ScheduleRow {
  readonly number: number
  readonly dueDate: string
  readonly payment: bigint
  readonly principal: bigint
  readonly interest: bigint
  readonly balance: bigint
}

interface Columns<M> {
  // Row k is installment number k + 1.
  readonly dueDates: readonly string[]
  readonly payment: readonly M[]
  readonly principal: readonly M[]
  readonly interest: readonly M[]
  readonly balance: readonly M[]
}

export interface ExactTable extends Columns<number> { readonly exact: true }
export interface BigTable extends Columns<bigint> { readonly exact: false }
export type AmortizationTable = ExactTable | BigTable

export function tableRows (t: AmortizationTable): ScheduleRow[] {
  const rows = new Array<ScheduleRow>(t.dueDates.length)
  for (let k = 0; k < rows.length; k++) {
    rows[k] = {
      number: k + 1,
      dueDate: t.dueDates[k] as string,
      payment: BigInt(t.payment[k] as number | bigint),
      principal: BigInt(t.principal[k] as number | bigint),
      interest: BigInt(t.interest[k] as number | bigint),
      balance: BigInt(t.balance[k] as number | bigint)
    }
  }
  return rows
}

const EXACT = 2 ** 53

// One payment clearing the whole amount (a settlement).
export function singlePaymentTable (dueDate: string, payment: bigint): AmortizationTable {
  const n = Number(payment)
  if (n > -EXACT && n < EXACT) {
    return { exact: true, dueDates: [dueDate], payment: [n], principal: [n], interest: [0], balance: [0] }
  }
  return { exact: false, dueDates: [dueDate], payment: [payment], principal: [payment], interest: [0n], balance: [0n] }
}

// Months that pay nothing before a table (a payment holiday). The holiday
// balances are given as bigints; an exact table's are at most its opening
// balance, so they convert to Numbers exactly.
export function afterHoliday (t: AmortizationTable, dueDates: readonly string[], balances: readonly bigint[]): AmortizationTable {
  const h = dueDates.length
  const allDates = dueDates.concat(t.dueDates)
  if (t.exact) {
    const zeros = new Array<number>(h).fill(0)
    return {
      exact: true,
      dueDates: allDates,
      payment: zeros.concat(t.payment),
      principal: zeros.concat(t.principal),
      interest: zeros.concat(t.interest),
      balance: balances.map(Number).concat(t.balance)
    }
  }
  const zeros = new Array<bigint>(h).fill(0n)
  return {
    exact: false,
    dueDates: allDates,
    payment: zeros.concat(t.payment),
    principal: zeros.concat(t.principal),
    interest: zeros.concat(t.interest),
    balance: balances.concat(t.balance)
  }
}

// The due date of the first row that pays anything (holiday rows pay nothing).
export function firstPaymentDateOf (t: AmortizationTable): string | undefined {
  const k = (t.payment as ReadonlyArray<number | bigint>).findIndex(p => p > 0)
  return k < 0 ? undefined : t.dueDates[k]
}

// The payments as doubles, for the effective-rate solver (a ratio, not money).
export function paymentFlows (t: AmortizationTable): readonly number[] {
  return t.exact ? t.payment : t.payment.map(Number)
}

export function maxPaymentOfTable (t: AmortizationTable): bigint {
  if (t.exact) {
    let max = 0
    for (const p of t.payment) if (p > max) max = p
    return BigInt(max)
  }
  let max = 0n
  for (const p of t.payment) if (p > max) max = p
  return max
}
