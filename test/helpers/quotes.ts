import type { FastifyInstance } from 'fastify'

export const loanRequest = (loanId: string, over: Record<string, unknown> = {}) => ({
  loan: { loanId, balance: '50000.00', overdueDays: 45, ...over },
  borrower: { monthlyIncome: '9000.00', monthlyObligations: '1500.00' }
})

/** Creates a quote through the API and returns its parsed body. */
export async function createQuote (app: FastifyInstance, headers: Record<string, string>, loanId: string, over: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest(loanId, over) })
  if (res.statusCode !== 201) throw new Error(`quote failed: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, recommendedOptionId: string, options: Array<{ id: string, schedule: unknown[], totalRepayable: string }> }
}
