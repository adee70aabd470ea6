#!/usr/bin/env python3
"""Independent oracle for the README's "The calculation" rules (installments
and deferrals, no penalty: every pinned case is within grace). Written from
the README, not from the engine: Python's decimal module at 100 digits, dates
from datetime. Run: python3 test/domain/oracle/plans.py  (prints the figures
test/domain/plan-edges.test.ts pins)."""
import calendar
import datetime as dt
import json
from decimal import Decimal as D, ROUND_HALF_EVEN, ROUND_HALF_UP, getcontext

getcontext().prec = 100


def rnd(x, mode, digits):
    q = D(1).scaleb(-digits)
    return x.quantize(q, rounding=ROUND_HALF_UP if mode == 'HALF_UP' else ROUND_HALF_EVEN)


def add_months(anchor, k):
    y, m = divmod(anchor.year * 12 + anchor.month - 1 + k, 12)
    m += 1
    return dt.date(y, m, min(anchor.day, calendar.monthrange(y, m)[1]))


def period_rates(rate, as_of, first, n, day_count):
    """Rate of periods ending at months first..first+n-1 after asOf."""
    if day_count == '30/360':
        return [rate / 12] * n
    return [rate * (add_months(as_of, first + k) - add_months(as_of, first + k - 1)).days / 365 for k in range(n)]


def level(principal, rates, method, mode, digits):
    n = len(rates)
    if method == 'equal_principal':
        return rnd(principal / n, mode, digits)              # equalPrincipal
    if all(r == 0 for r in rates):
        return rnd(principal / n, mode, digits)              # annuityPayment, interest-free
    grown = D(1)
    for r in rates:
        grown *= 1 + r
    total, suffix = D(0), D(1)
    for r in reversed(rates):                                # Σ_k Π_{j>k}(1+r_j)
        total += suffix
        suffix *= 1 + r
    return rnd(principal * grown / total, mode, digits)       # annuityPayment


def schedule(principal, rates, method, mode, digits, dates):
    """Rows until the balance is 0, or the refusal the README names."""
    n = len(rates)
    a = level(principal, rates, method, mode, digits)
    if a == 0 and n > 1:
        return {'refused': 'zero_payment', 'installment': str(a)}
    rows, balance = [], principal
    for k, r in enumerate(rates):
        interest = rnd(balance * r, mode, digits)             # periodInterest
        if k == n - 1:
            part = balance
        else:
            part = a - interest if method == 'annuity' else a
            if part < 0:
                return {'refused': 'interest_exceeds_payment', 'installment': str(a), 'month': k + 1, 'interest': str(interest)}
            part = min(part, balance)
        balance -= part
        rows.append([str(dates[k]), str(part + interest), str(part), str(interest), str(balance)])
        if balance == 0:
            break
    return {'installment': str(a), 'rows': rows, 'termMonths': len(rows),
            'totalRepayable': str(sum(D(r[1]) for r in rows)), 'totalInterest': str(sum(D(r[3]) for r in rows))}


def installment(amount, rate, as_of, term, method, day_count, mode, digits):
    rates = period_rates(rate, as_of, 1, term, day_count)
    return schedule(amount, rates, method, mode, digits, [add_months(as_of, k + 1) for k in range(term)])


def deferral(amount, rate, as_of, h, repayment_months, day_count, mode, digits):
    end = add_months(as_of, h)
    t = D(h) / 12 if day_count == '30/360' else D((end - as_of).days) / 365
    capitalised = rnd(amount * rate * t, mode, digits)        # holidayInterest
    rates = period_rates(rate, as_of, h + 1, repayment_months, day_count)
    s = schedule(amount + capitalised, rates, 'annuity', mode, digits, [add_months(as_of, h + k + 1) for k in range(repayment_months)])
    s['capitalizedInterest'] = str(capitalised)
    if 'rows' in s:
        s['totalInterest'] = str(D(s['totalInterest']) + capitalised)
        s['termMonths'] += h
        s['firstPaymentDate'] = s['rows'][0][0]
    return s


d = dt.date.fromisoformat
cases = {
    # 1. 0.03 CNY at 0 %, standard terms: 6 months repays in 3 (a policy term), 12 rounds to 0.
    '0.03 CNY 0% 3m HALF_UP': installment(D('0.03'), D(0), d('2026-01-31'), 3, 'annuity', '30/360', 'HALF_UP', 2),
    '0.03 CNY 0% 6m HALF_UP': installment(D('0.03'), D(0), d('2026-01-31'), 6, 'annuity', '30/360', 'HALF_UP', 2),
    '0.03 CNY 0% 6m HALF_EVEN': installment(D('0.03'), D(0), d('2026-01-31'), 6, 'annuity', '30/360', 'HALF_EVEN', 2),
    '0.03 CNY 0% 12m HALF_UP': installment(D('0.03'), D(0), d('2026-01-31'), 12, 'annuity', '30/360', 'HALF_UP', 2),
    # 1. 124.00 at 35.7479 % over 120 months: the level payment repays it in 119.
    '124.00 CNY 35.7479% 120m 30/360': installment(D('124.00'), D('0.357479'), d('2026-01-31'), 120, 'annuity', '30/360', 'HALF_UP', 2),
    # 2. ACT/365, 10,000.00 at 90 % over 60 months from 2026-05-31.
    '10000.00 CNY 90% 60m ACT/365': installment(D('10000.00'), D('0.9'), d('2026-05-31'), 60, 'annuity', 'ACT/365', 'HALF_UP', 2),
    # 3. ACT/365 deferral: 10,000.00 at 12 %, asOf 2026-01-31, 1-month holiday then 12 months.
    'deferral-1 10000.00 CNY 12% ACT/365': deferral(D('10000.00'), D('0.12'), d('2026-01-31'), 1, 12, 'ACT/365', 'HALF_UP', 2),
    'deferral-1 10000.00 CNY 12% 30/360': deferral(D('10000.00'), D('0.12'), d('2026-01-31'), 1, 12, '30/360', 'HALF_UP', 2),
    # 4. JPY 2 at 0 %: 6 months rounds to 0; 3 months pays 1 + 1 (a 2-month plan).
    '2 JPY 0% 3m': installment(D(2), D(0), d('2026-01-31'), 3, 'annuity', '30/360', 'HALF_UP', 0),
    '2 JPY 0% 6m': installment(D(2), D(0), d('2026-01-31'), 6, 'annuity', '30/360', 'HALF_UP', 0),
}

if __name__ == '__main__':
    for name, result in cases.items():
        rows = result.pop('rows', None)
        print(name, json.dumps(result))
        if rows is not None:
            shown = rows if len(rows) <= 4 else rows[:2] + [['…']] + rows[-2:]
            for r in shown:
                print('   ', ' '.join(r))
