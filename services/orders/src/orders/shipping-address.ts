import type { CustomerValue, ShippingAddressValue } from '@skald/contracts';

/** An address as the platform gave it (intake or modification): the recipient may be missing. */
export interface GivenAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
  region?: string | null;
  name?: string | null;
  phone?: string | null;
  company?: string | null;
}

/** A stored shipping address with its recipient resolved: the name always, phone and company when known. */
export type ResolvedShippingAddress = ShippingAddressValue & {
  line2: string | null;
  region: string | null;
  name: string;
  phone: string | null;
  company: string | null;
};

/**
 * The address with its recipient: a gift goes to someone other than the customer, and a label
 * needs a name and a phone. `name` and `phone` default to the customer's; `company` to none.
 * Also reads an order stored before the recipient existed (its address has none).
 */
export function withRecipient(address: GivenAddress, customer: Pick<CustomerValue, 'name' | 'phone'>): ResolvedShippingAddress {
  return {
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    postalCode: address.postalCode,
    country: address.country,
    region: address.region ?? null,
    name: address.name ?? customer.name,
    phone: address.phone ?? customer.phone ?? null,
    company: address.company ?? null,
  };
}

/** What the warehouse needs to label an order's parcels: the address and its recipient (CreateOutboundNotes). */
export function recipientOf(order: { shippingAddress: GivenAddress; customer: Pick<CustomerValue, 'name' | 'phone'> }): {
  recipientName: string;
  recipientPhone: string | null;
  recipientCompany: string | null;
  shipTo: { line1: string; line2: string | null; city: string; postalCode: string; country: string; region: string | null };
} {
  const { name, phone, company, ...shipTo } = withRecipient(order.shippingAddress, order.customer);
  return { recipientName: name, recipientPhone: phone, recipientCompany: company, shipTo };
}
