import t from 'tap'
import { currencyCodes, currencyDigits, isCurrency } from '../../src/domain/currency.js'

t.test('knows the minor digits of active ISO 4217 currencies', async t => {
  const expected: Record<string, number> = {
    CNY: 2, JPY: 0, KWD: 3, BHD: 3, USD: 2, EUR: 2, GBP: 2, CLP: 0, KRW: 0, ISK: 0,
    OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3, VND: 0, UGX: 0, CLF: 4, UYW: 4, HKD: 2, INR: 2
  }
  for (const [code, digits] of Object.entries(expected)) t.equal(currencyDigits(code), digits, code)
  t.ok(currencyCodes().length > 150)
})

t.test('does not know withdrawn, lower-case or non-money codes', async t => {
  for (const code of ['XAU', 'XDR', 'XXX', 'DEM', 'cny', 'CN', '', 'HRK', 'CUC']) {
    t.equal(isCurrency(code), false, code)
    t.equal(currencyDigits(code), undefined, code)
  }
  t.equal(isCurrency('CNY'), true)
})
