import { sagaEntities } from '@skald/saga';
import { CatalogItemEntity } from '../catalog/catalog-item.entity.js';
import { CustomerEntity } from '../customers/customer.entity.js';
import { OrderOutboundNoteEntity, OrderReservationEntity, OrderShipmentEntity } from '../orders/fulfilment.entities.js';
import { OrderLineEntity } from '../orders/order-line.entity.js';
import { OrderStatusEntryEntity } from '../orders/order-status-entry.entity.js';
import { OrderEntity } from '../orders/order.entity.js';
import { TenantPolicyEntity } from '../tenants/tenant-policy.entity.js';

export const entities = [
  OrderEntity,
  OrderLineEntity,
  OrderStatusEntryEntity,
  OrderReservationEntity,
  OrderOutboundNoteEntity,
  OrderShipmentEntity,
  ...sagaEntities,
  CustomerEntity,
  CatalogItemEntity,
  TenantPolicyEntity,
];
