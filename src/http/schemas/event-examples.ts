// One event of each type, as GET /v1/events answered them in a run of the service (test data):
// the event catalogue of the OpenAPI document. test/http/openapi-polish.test.ts validates it
// against the schema, so it cannot drift from what is sent.
export const EVENT_CATALOGUE_EXAMPLE = {
  items: [
    {
      id: 'e960f7be-4fbb-4d8d-834b-4a0011109f98',
      type: 'plan.accepted',
      createdAt: '2026-12-02T14:50:42.659106Z',
      data: {
        plan: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          loanId: 'LN-2026-000123',
          status: 'active',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.654190Z',
          cancelledAt: null,
          completedAt: null,
          brokenAt: null
        },
        position: null,
        payment: null,
        installment: null
      }
    },
    {
      id: '9ee5695b-7a9a-4d17-949a-7019d95e3e97',
      type: 'plan.payment_recorded',
      createdAt: '2026-12-02T14:50:42.687355Z',
      data: {
        plan: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          loanId: 'LN-2026-000123',
          status: 'active',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.654190Z',
          cancelledAt: null,
          completedAt: null,
          brokenAt: null
        },
        position: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          status: 'active',
          asOf: '2027-01-02',
          paidTotal: '1025.10',
          outstanding: '2050.19',
          arrears: '0.00',
          daysPastDue: 0,
          missedInstallments: 0,
          nextDue: {
            dueDate: '2027-02-02',
            amount: '1025.10'
          },
          completedAt: null,
          brokenAt: null,
          reinstatedPenalty: '0.00',
          lateFees: '0.00'
        },
        payment: {
          id: 'ddee87a9-1feb-4931-a31b-551440ae3ef0',
          planId: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          reference: 'PAY-2026-0001',
          amount: '1025.10',
          receivedOn: '2027-01-02',
          channel: 'bank-transfer',
          note: null,
          createdAt: '2027-01-02T04:00:00.000000Z',
          reversedAt: null,
          reversalReason: null,
          allocation: {
            installments: [
              {
                number: 1,
                fees: '0.00',
                interest: '30.15',
                principal: '994.95'
              }
            ],
            penalty: '0.00',
            settlesPlan: false,
            interestWaived: '0.00'
          }
        },
        installment: null
      }
    },
    {
      id: '3f0ef551-7254-4f9b-be0b-9a9f1f68e265',
      type: 'plan.payment_reversed',
      createdAt: '2026-12-02T14:50:42.715916Z',
      data: {
        plan: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          loanId: 'LN-2026-000123',
          status: 'active',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.654190Z',
          cancelledAt: null,
          completedAt: null,
          brokenAt: null
        },
        position: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          status: 'active',
          asOf: '2027-01-02',
          paidTotal: '0.00',
          outstanding: '3075.29',
          arrears: '0.00',
          daysPastDue: 0,
          missedInstallments: 0,
          nextDue: {
            dueDate: '2027-01-02',
            amount: '1025.10'
          },
          completedAt: null,
          brokenAt: null,
          reinstatedPenalty: '0.00',
          lateFees: '0.00'
        },
        payment: {
          id: 'ddee87a9-1feb-4931-a31b-551440ae3ef0',
          planId: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          reference: 'PAY-2026-0001',
          amount: '1025.10',
          receivedOn: '2027-01-02',
          channel: 'bank-transfer',
          note: null,
          createdAt: '2027-01-02T04:00:00.000000Z',
          reversedAt: '2027-01-02T04:00:00.000000Z',
          reversalReason: 'bounced: insufficient funds',
          allocation: null
        },
        installment: null
      }
    },
    {
      id: '293a1582-a4c5-40f1-9cc2-d9f39f2cb3e1',
      type: 'plan.installment_missed',
      createdAt: '2026-12-02T14:50:42.747211Z',
      data: {
        plan: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          loanId: 'LN-2026-000123',
          status: 'broken',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.654190Z',
          cancelledAt: null,
          completedAt: null,
          brokenAt: '2027-02-08'
        },
        position: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          status: 'broken',
          asOf: '2027-02-08',
          paidTotal: '0.00',
          outstanding: '3090.09',
          arrears: '2065.00',
          daysPastDue: 37,
          missedInstallments: 2,
          nextDue: null,
          completedAt: null,
          brokenAt: '2027-02-08',
          reinstatedPenalty: '14.80',
          lateFees: '0.00'
        },
        payment: null,
        installment: {
          number: 1,
          dueDate: '2027-01-02',
          unpaid: '1025.10'
        }
      }
    },
    {
      id: '5f5f5f3e-659f-42fa-aac8-6d0697d090c7',
      type: 'plan.broken',
      createdAt: '2026-12-02T14:50:42.747211Z',
      data: {
        plan: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          loanId: 'LN-2026-000123',
          status: 'broken',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.654190Z',
          cancelledAt: null,
          completedAt: null,
          brokenAt: '2027-02-08'
        },
        position: {
          id: '921b6ae2-9214-46f6-a238-8846a0bef9fd',
          status: 'broken',
          asOf: '2027-02-08',
          paidTotal: '0.00',
          outstanding: '3090.09',
          arrears: '2065.00',
          daysPastDue: 37,
          missedInstallments: 2,
          nextDue: null,
          completedAt: null,
          brokenAt: '2027-02-08',
          reinstatedPenalty: '14.80',
          lateFees: '0.00'
        },
        payment: null,
        installment: null
      }
    },
    {
      id: '0781bd77-3357-4fca-9b01-22456c6b48bb',
      type: 'plan.completed',
      createdAt: '2026-12-02T14:50:42.847026Z',
      data: {
        plan: {
          id: '7f3bacdd-64aa-4913-a9f2-efd95c09e1b1',
          loanId: 'LN-2026-000456',
          status: 'completed',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.797262Z',
          cancelledAt: null,
          completedAt: '2027-01-02',
          brokenAt: null
        },
        position: {
          id: '7f3bacdd-64aa-4913-a9f2-efd95c09e1b1',
          status: 'completed',
          asOf: '2027-01-02',
          paidTotal: '3044.94',
          outstanding: '0.00',
          arrears: '0.00',
          daysPastDue: 0,
          missedInstallments: 0,
          nextDue: null,
          completedAt: '2027-01-02',
          brokenAt: null,
          reinstatedPenalty: '0.00',
          lateFees: '0.00'
        },
        payment: null,
        installment: null
      }
    },
    {
      id: 'ae99ad33-91a0-45f1-9846-56756b28f122',
      type: 'plan.cancelled',
      createdAt: '2026-12-02T14:50:42.955051Z',
      data: {
        plan: {
          id: '8a78e34b-bee3-4501-82af-0ceb6630fb01',
          loanId: 'LN-2026-000789',
          status: 'cancelled',
          type: 'installment',
          optionId: 'installment-annuity-3',
          currency: 'CNY',
          amountFinanced: '3014.79',
          totalRepayable: '3075.29',
          penaltyWaived: '14.80',
          policy: {
            name: 'standard',
            version: 1
          },
          createdAt: '2026-12-02T14:50:42.922316Z',
          cancelledAt: '2026-12-02T14:50:42.955051Z',
          completedAt: null,
          brokenAt: null
        },
        position: null,
        payment: null,
        installment: null
      }
    }
  ],
  nextCursor: 'WyJlIiwiNzgzMSIsIjExIl0',
  hasMore: false
}
