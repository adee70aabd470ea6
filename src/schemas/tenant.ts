import { Type, type Static } from 'typebox'

export const TenantSchema = Type.Object({
  tenantId: Type.String({ format: 'uuid' }),
  name: Type.String({ examples: ['acme'] }),
  createdAt: Type.String({ format: 'date-time' })
}, { $id: 'Tenant', additionalProperties: false })

export type TenantShape = Static<typeof TenantSchema>
