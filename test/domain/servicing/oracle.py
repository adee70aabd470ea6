#!/usr/bin/env python3
"""Independent oracle for plan servicing (README.md ("Servicing")).

Written apart from the TypeScript engine: Decimal amounts in currency units
(not integer minor units), a day-by-day loop (not an event queue), its own
calendar, day-count and annuity code. It prints the worked examples as JSON
(pinned by servicing-examples.test.ts) or, with --markdown, as the tables of
README.md ("Servicing").

    python3 test/domain/servicing/oracle.py > test/domain/servicing/oracle-expected.json
"""
import datetime as dt
import json
import sys
from decimal import Decimal as D, getcontext, ROUND_HALF_UP, ROUND_HALF_EVEN

getcontext().prec = 80
MODES = {'HALF_UP': ROUND_HALF_UP, 'HALF_EVEN': ROUND_HALF_EVEN}


def day(s):
    return dt.date.fromisoformat(s)


def add_months(anchor, k):
    index = anchor.year * 12 + anchor.month - 1 + k
    y, m = divmod(index, 12)
    m += 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(anchor.day, last))


def days_30e360(a, b):
    return 360 * (b.year - a.year) + 30 * (b.month - a.month) + min(b.day, 30) - min(a.day, 30)


def accrual_days(day_count, a, b):
    return days_30e360(a, b) if day_count == '30/360' else (b - a).days


class Money:
    def __init__(self, digits, mode):
        self.unit = D(1).scaleb(-digits)
        self.digits = digits
        self.mode = MODES[mode]

    def round(self, x):
        return x.quantize(self.unit, rounding=self.mode)

    def text(self, x):
        return str(x.quantize(self.unit))


def annuity(money, principal, rate, months, start, day_count, offset=0):
    """Fineract progressive EMI; the last row takes the rounding remainder."""
    dates = [add_months(start, offset + k) for k in range(1, months + 1)]
    if day_count == '30/360':
        rates = [rate / 12] * months
    else:
        rates = [rate * (add_months(start, offset + k) - add_months(start, offset + k - 1)).days / 365 for k in range(1, months + 1)]
    if all(r == 0 for r in rates):
        payment = money.round(principal / months)
    else:
        grown = D(1)
        for r in rates:
            grown *= 1 + r
        total = D(0)
        for k in range(months):
            tail = D(1)
            for r in rates[k + 1:]:
                tail *= 1 + r
            total += tail
        payment = money.round(principal * grown / total)
    rows, balance = [], principal
    for k in range(months):
        interest = money.round(balance * rates[k])
        part = balance if k == months - 1 else min(max(payment - interest, D(0)), balance)
        balance -= part
        rows.append({'dueDate': dates[k], 'principal': part, 'interest': interest})
    return rows


class Row:
    def __init__(self, number, due, principal, interest, start):
        self.number, self.due, self.principal, self.interest, self.start = number, due, principal, interest, start
        self.payment = principal + interest
        self.fees = self.paid_fees = self.paid_interest = self.paid_principal = self.waived = D(0)
        self.missed_on = None
        self.paid_on = None

    def unpaid(self):
        return self.fees + self.payment - self.paid_fees - self.paid_interest - self.paid_principal - self.waived


def simulate(plan, payments, as_of):
    money = plan['money']
    rules = plan['rules']
    accepted = plan['acceptedOn']
    rows = []
    for k, r in enumerate(plan['schedule']):
        rows.append(Row(k + 1, r['dueDate'], r['principal'], r['interest'], accepted if k == 0 else plan['schedule'][k - 1]['dueDate']))
    st = {'status': 'active', 'completedOn': None, 'brokenOn': None, 'missed': 0, 'penalty': D(0), 'paidPenalty': D(0),
          'fees': D(0), 'waived': D(0), 'allocations': []}
    fee = D(rules['lateInstallmentFee'])
    cap = None if plan['annualCostCap'] is None else D(plan['annualCostCap'])

    def earned(r, d):
        if d >= r.due:
            return r.interest
        if d <= r.start or r.interest == 0:
            return D(0)
        period = accrual_days(plan['dayCount'], r.start, r.due)
        elapsed = min(accrual_days(plan['dayCount'], r.start, d), period)
        return money.round(r.interest * elapsed / period)

    def outstanding():
        return sum((r.unpaid() for r in rows), D(0)) + st['penalty'] - st['paidPenalty']

    def room(d):
        if st['status'] == 'completed':
            return D(0)
        if st['status'] == 'broken':
            return outstanding()
        return sum((r.fees - r.paid_fees + r.principal - r.paid_principal + max(D(0), earned(r, d) - r.paid_interest) for r in rows), D(0))

    def settle(d, alloc):
        for r in rows:
            if r.unpaid() == 0:
                continue
            interest = max(D(0), earned(r, d) - r.paid_interest)
            a = alloc.setdefault(r.number, {'fees': D(0), 'interest': D(0), 'principal': D(0)})
            a['fees'] += r.fees - r.paid_fees
            a['principal'] += r.principal - r.paid_principal
            a['interest'] += interest
            r.paid_fees, r.paid_principal = r.fees, r.principal
            r.paid_interest += interest
            w = r.interest - r.paid_interest
            r.waived += w
            st['waived'] += w
            if r.payment > 0:
                r.paid_on = d
        st['status'], st['completedOn'] = 'completed', d

    if room(accepted) == 0:
        settle(accepted, {})
    ordered = sorted(payments, key=lambda p: (p['receivedOn'], p['bookedSeq']))
    d = accepted
    while d <= as_of:
        if st['status'] != 'completed':
            for r in rows:
                if r.payment > 0 and d == r.due + dt.timedelta(days=rules['graceDays'] + 1) and r.unpaid() > 0:
                    r.missed_on = d
                    st['missed'] += 1
                    if st['status'] == 'active':
                        charge = fee
                        if cap is not None:
                            limit = money.round(plan['amountFinanced'] * cap * (d - accepted).days / 365)
                            charge = max(D(0), min(fee, limit - st['fees']))
                        r.fees += charge
                        st['fees'] += charge
            if st['status'] == 'active' and st['missed'] > rules['allowedMissedInstallments']:
                st['status'], st['brokenOn'] = 'broken', d
            for r in rows:
                if (r.payment > 0 and d == r.due + dt.timedelta(days=rules['breakAfterDaysPastDue'] + 1)
                        and st['status'] == 'active' and r.unpaid() > 0):
                    st['status'], st['brokenOn'] = 'broken', d
            if st['status'] == 'broken' and st['brokenOn'] == d and rules['reinstateWaivedPenalty']:
                st['penalty'] = plan['penaltyWaived']
        for p in (p for p in ordered if p['receivedOn'] == d):
            amount = p['amount']
            limit = room(d)
            applied = min(amount, limit)
            alloc = {}
            waived_before, penalty_before = st['waived'], st['paidPenalty']
            settles = st['status'] == 'active' and applied == limit
            if settles:
                settle(d, alloc)
            else:
                left = applied
                for r in rows:
                    for part in rules['allocationOrder']:
                        owed = {'fees': r.fees - r.paid_fees, 'interest': r.interest - r.paid_interest - r.waived,
                                'principal': r.principal - r.paid_principal}[part]
                        take = min(owed, left)
                        if take > 0:
                            a = alloc.setdefault(r.number, {'fees': D(0), 'interest': D(0), 'principal': D(0)})
                            a[part] += take
                            setattr(r, {'fees': 'paid_fees', 'interest': 'paid_interest', 'principal': 'paid_principal'}[part],
                                    getattr(r, {'fees': 'paid_fees', 'interest': 'paid_interest', 'principal': 'paid_principal'}[part]) + take)
                            left -= take
                    if r.paid_on is None and r.payment > 0 and r.unpaid() == 0:
                        r.paid_on = d
                take = min(st['penalty'] - st['paidPenalty'], left)
                st['paidPenalty'] += take
            st['allocations'].append({
                'paymentId': p['id'], 'amount': amount, 'unapplied': amount - applied, 'settlesPlan': settles,
                'penalty': st['paidPenalty'] - penalty_before, 'interestWaived': st['waived'] - waived_before,
                'installments': [dict(number=n, **a) for n, a in sorted(alloc.items()) if sum(a.values()) > 0]})
        d += dt.timedelta(days=1)

    def state(r):
        if r.payment == 0:
            settled = st['completedOn'] if st['completedOn'] is not None and st['completedOn'] < r.due else r.due
            return (settled, 'paid') if settled <= as_of else (None, 'upcoming')
        if r.paid_on is not None:
            return r.paid_on, 'paid'
        some = r.paid_fees + r.paid_interest + r.paid_principal > 0
        if r.due > as_of:
            return None, 'partially_paid' if some else 'upcoming'
        if r.due == as_of:
            return None, 'partially_paid' if some else 'due'
        return None, 'missed' if r.missed_on is not None else 'overdue'

    past_due = [r for r in rows if r.unpaid() > 0 and r.due < as_of]
    upcoming = [r for r in rows if r.unpaid() > 0 and r.due >= as_of]
    t = money.text
    payoff = None
    if st['status'] != 'broken':
        due_interest = sum((r.interest - r.paid_interest for r in rows if r.unpaid() > 0 and r.due <= as_of), D(0))
        accrued = sum((max(D(0), earned(r, as_of) - r.paid_interest) for r in rows if r.unpaid() > 0 and r.due > as_of), D(0))
        payoff = {'amount': t(room(as_of)), 'unpaidPrincipal': t(sum((r.principal - r.paid_principal for r in rows), D(0))),
                  'unpaidInterestDue': t(due_interest), 'accruedInterest': t(accrued),
                  'unpaidFees': t(sum((r.fees - r.paid_fees for r in rows), D(0))),
                  'interestWaived': t(sum((r.interest - r.paid_interest - r.waived for r in rows if r.unpaid() > 0), D(0)) - due_interest - accrued)}
    return {
        'asOf': as_of.isoformat(), 'status': st['status'],
        'completedOn': st['completedOn'] and st['completedOn'].isoformat(), 'brokenOn': st['brokenOn'] and st['brokenOn'].isoformat(),
        'paidTotal': t(sum((r.paid_fees + r.paid_interest + r.paid_principal for r in rows), D(0)) + st['paidPenalty']),
        'outstanding': t(outstanding()),
        'arrears': t(sum((r.unpaid() for r in past_due), D(0)) + st['penalty'] - st['paidPenalty']),
        'daysPastDue': (as_of - past_due[0].due).days if past_due else 0,
        'missedInstallments': st['missed'],
        'nextDue': ({'dueDate': upcoming[0].due.isoformat(), 'amount': t(upcoming[0].unpaid())}
                    if upcoming and st['status'] == 'active' else None),
        'reinstatedPenalty': t(st['penalty']), 'lateFeesCharged': t(st['fees']), 'interestWaivedOnPayoff': t(st['waived']),
        'payoff': payoff,
        'installments': [{'number': r.number, 'fees': t(r.fees), 'paidFees': t(r.paid_fees), 'paidInterest': t(r.paid_interest),
                          'paidPrincipal': t(r.paid_principal), 'interestWaived': t(r.waived),
                          'paidOn': state(r)[0] and state(r)[0].isoformat(), 'state': state(r)[1]} for r in rows],
        'allocations': [{'paymentId': a['paymentId'], 'amount': t(a['amount']), 'unapplied': t(a['unapplied']),
                         'settlesPlan': a['settlesPlan'], 'penalty': t(a['penalty']), 'interestWaived': t(a['interestWaived']),
                         'installments': [{k: (t(v) if k != 'number' else v) for k, v in i.items()} for i in a['installments']]}
                        for a in st['allocations']],
    }


DEFAULT_RULES = {'graceDays': 5, 'allowedMissedInstallments': 1, 'breakAfterDaysPastDue': 60, 'lateInstallmentFee': '0',
                 'reinstateWaivedPenalty': True, 'allocationOrder': ['fees', 'interest', 'principal']}

# Each case: a plan (built here), payments, and the dates to evaluate it on.
CASES = [
    {'name': 'early-payoff', 'title': 'Completes early by payoff',
     'currency': 'CNY', 'digits': 2, 'roundingMode': 'HALF_UP', 'dayCount': '30/360',
     'build': {'kind': 'annuity', 'principal': '1200.00', 'rate': '0.12', 'months': 6, 'start': '2026-01-15'},
     'acceptedOn': '2026-01-15', 'penaltyWaived': '50.00', 'annualCostCap': '0.24',
     'rules': {'lateInstallmentFee': '10.00'},
     'payments': [{'id': 'P1', 'receivedOn': '2026-02-15', 'amount': '207.06', 'bookedSeq': 1},
                  {'id': 'P2', 'receivedOn': '2026-03-25', 'amount': '217.06', 'bookedSeq': 2}],
     # The payoff is quoted on 2026-04-02 and paid that day (appended by the script).
     'payoffOn': '2026-04-02',
     'asOf': ['2026-03-24', '2026-04-02', '2026-08-01']},
    {'name': 'broken-after-two-misses', 'title': 'Breaks after two misses, penalty reinstated',
     'currency': 'CNY', 'digits': 2, 'roundingMode': 'HALF_EVEN', 'dayCount': 'ACT/365',
     'build': {'kind': 'annuity', 'principal': '3000.00', 'rate': '0.10', 'months': 6, 'start': '2026-03-31'},
     'acceptedOn': '2026-03-31', 'penaltyWaived': '120.00', 'annualCostCap': '0.24',
     'rules': {'lateInstallmentFee': '25.00'},
     'payments': [{'id': 'P1', 'receivedOn': '2026-04-30', 'amount': '514.71', 'bookedSeq': 1},
                  {'id': 'P2', 'receivedOn': '2026-06-10', 'amount': '300.00', 'bookedSeq': 2}],
     'asOf': ['2026-06-05', '2026-06-10', '2026-07-06', '2026-07-07']},
    {'name': 'reversal-reopens', 'title': 'A reversal reopens a completed plan',
     'currency': 'KWD', 'digits': 3, 'roundingMode': 'HALF_UP', 'dayCount': '30/360',
     'build': {'kind': 'annuity', 'principal': '900.000', 'rate': '0.09', 'months': 3, 'start': '2026-05-20'},
     'acceptedOn': '2026-05-22', 'penaltyWaived': '40.000', 'annualCostCap': None,
     'rules': {'lateInstallmentFee': '5.000'},
     'payments': [{'id': 'P1', 'receivedOn': '2026-06-20', 'amount': '304.511', 'bookedSeq': 1},
                  {'id': 'P2', 'receivedOn': '2026-07-20', 'amount': '304.511', 'bookedSeq': 2},
                  {'id': 'P3', 'receivedOn': '2026-08-20', 'amount': '304.512', 'bookedSeq': 3}],
     'reversed': 'P2',
     'asOf': ['2026-08-20', '2026-08-26', '2026-08-27']},
    {'name': 'jpy-holiday-zero-interest', 'title': 'JPY, zero interest, payment holiday, paid on acceptance day',
     'currency': 'JPY', 'digits': 0, 'roundingMode': 'HALF_UP', 'dayCount': 'ACT/365',
     'build': {'kind': 'rows', 'rows': [['2026-02-28', '0', '0'], ['2026-03-31', '0', '0'], ['2026-04-30', '33334', '0'],
                                         ['2026-05-31', '33333', '0'], ['2026-06-30', '33333', '0']]},
     'acceptedOn': '2026-01-31', 'penaltyWaived': '5000', 'annualCostCap': '0.24',
     'rules': {'lateInstallmentFee': '1000', 'graceDays': 0, 'allowedMissedInstallments': 2},
     'payments': [{'id': 'P1', 'receivedOn': '2026-01-31', 'amount': '40000', 'bookedSeq': 1},
                  {'id': 'P2', 'receivedOn': '2026-06-05', 'amount': '20000', 'bookedSeq': 2}],
     'asOf': ['2026-01-31', '2026-03-31', '2026-06-01', '2026-07-01']},
]


def build_case(c):
    money = Money(c['digits'], c['roundingMode'])
    b = c['build']
    if b['kind'] == 'annuity':
        schedule = annuity(money, D(b['principal']), D(b['rate']), b['months'], day(b['start']), c['dayCount'])
        financed = D(b['principal'])
    else:
        schedule = [{'dueDate': day(r[0]), 'principal': D(r[1]), 'interest': D(r[2])} for r in b['rows']]
        financed = sum((r['principal'] for r in schedule), D(0))
    rules = dict(DEFAULT_RULES, **c['rules'])
    plan = {'money': money, 'rules': rules, 'acceptedOn': day(c['acceptedOn']), 'schedule': schedule, 'dayCount': c['dayCount'],
            'penaltyWaived': D(c['penaltyWaived']), 'annualCostCap': c['annualCostCap'], 'amountFinanced': financed}
    payments = [dict(p, receivedOn=day(p['receivedOn']), amount=D(p['amount'])) for p in c['payments']]
    out = {'name': c['name'], 'title': c['title'], 'currency': c['currency'], 'digits': c['digits'],
           'roundingMode': c['roundingMode'], 'dayCount': c['dayCount'], 'acceptedOn': c['acceptedOn'],
           'penaltyWaived': c['penaltyWaived'], 'annualCostCap': c['annualCostCap'], 'amountFinanced': money.text(financed),
           'rules': rules, 'build': b,
           'schedule': [{'number': k + 1, 'dueDate': r['dueDate'].isoformat(), 'payment': money.text(r['principal'] + r['interest']),
                         'principal': money.text(r['principal']), 'interest': money.text(r['interest'])} for k, r in enumerate(schedule)]}
    if 'payoffOn' in c:
        quote = simulate(plan, payments, day(c['payoffOn']))['payoff']
        out['payoffQuote'] = dict(quote, asOf=c['payoffOn'])
        payments.append({'id': 'PAYOFF', 'receivedOn': day(c['payoffOn']), 'amount': D(quote['amount']), 'bookedSeq': len(payments) + 1})
    out['payments'] = [{'id': p['id'], 'receivedOn': p['receivedOn'].isoformat(), 'amount': money.text(p['amount']),
                        'bookedSeq': p['bookedSeq']} for p in payments]
    out['states'] = [simulate(plan, payments, day(a)) for a in c['asOf']]
    if 'reversed' in c:
        out['reversed'] = c['reversed']
        kept = [p for p in payments if p['id'] != c['reversed']]
        out['statesAfterReversal'] = [simulate(plan, kept, day(a)) for a in c['asOf']]
    return out


def markdown(cases):
    lines = []
    for c in cases:
        cur = c['currency']
        lines.append(f"### {c['title']} ({cur})\n")
        b = c['build']
        what = (f"{b['principal']} {cur} at {b['rate']} a year, {b['months']} monthly annuity installments from {b['start']}"
                if b['kind'] == 'annuity' else 'a hand-built schedule')
        r = c['rules']
        lines.append(f"Plan: {what}, {c['dayCount']}, {c['roundingMode']}; accepted {c['acceptedOn']}; penalty waived at acceptance "
                     f"{c['penaltyWaived']}; cost cap {c['annualCostCap'] or 'none'}. Rules: grace {r['graceDays']} days, "
                     f"{r['allowedMissedInstallments']} miss allowed, break after {r['breakAfterDaysPastDue']} days past due, "
                     f"late fee {r['lateInstallmentFee']}.\n")
        lines.append('| # | due | payment | principal | interest |\n|---|---|---:|---:|---:|')
        for s in c['schedule']:
            lines.append(f"| {s['number']} | {s['dueDate']} | {s['payment']} | {s['principal']} | {s['interest']} |")
        lines.append('\nPayments: ' + '; '.join(f"{p['id']} {p['amount']} on {p['receivedOn']}" for p in c['payments']) + '.\n')
        if 'payoffQuote' in c:
            q = c['payoffQuote']
            lines.append(f"Payoff quote on {q['asOf']}: {q['amount']} = principal {q['unpaidPrincipal']} + interest due "
                         f"{q['unpaidInterestDue']} + accrued {q['accruedInterest']} + fees {q['unpaidFees']}; "
                         f"interest waived {q['interestWaived']}.\n")
        groups = [('', c['states'])]
        if 'statesAfterReversal' in c:
            groups = [('before the reversal', c['states']), (f"after reversing {c['reversed']}", c['statesAfterReversal'])]
        for label, states in groups:
            if label:
                lines.append(f"State {label}:\n")
            lines.append('| as of | status | paid | outstanding | arrears | DPD | missed | fees | penalty reinstated | waived on payoff | rows |')
            lines.append('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
            for s in states:
                rows = ', '.join(f"{i['number']} {i['state']}" + (f" ({i['paidOn']})" if i['paidOn'] else '') for i in s['installments'])
                when = s['completedOn'] and f" {s['completedOn']}" or s['brokenOn'] and f" {s['brokenOn']}" or ''
                lines.append(f"| {s['asOf']} | {s['status']}{when} | {s['paidTotal']} | {s['outstanding']} | {s['arrears']} | "
                             f"{s['daysPastDue']} | {s['missedInstallments']} | {s['lateFeesCharged']} | {s['reinstatedPenalty']} | "
                             f"{s['interestWaivedOnPayoff']} | {rows} |")
            last = states[-1]
            lines.append('\nAllocations (as of ' + last['asOf'] + '):\n')
            lines.append('| payment | amount | row: fees / interest / principal | penalty | settles | waived |\n|---|---:|---|---:|---|---:|')
            for a in last['allocations']:
                parts = '; '.join(f"{i['number']}: {i['fees']} / {i['interest']} / {i['principal']}" for i in a['installments'])
                lines.append(f"| {a['paymentId']} | {a['amount']} | {parts} | {a['penalty']} | {'yes' if a['settlesPlan'] else ''} | {a['interestWaived']} |")
            lines.append('')
    return '\n'.join(lines)


if __name__ == '__main__':
    cases = [build_case(c) for c in CASES]
    if '--markdown' in sys.argv:
        print(markdown(cases))
    else:
        print(json.dumps(cases, indent=1))
