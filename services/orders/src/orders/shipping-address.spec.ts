import { withRecipient } from './shipping-address.js';

const address = { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' };
const customer = { name: 'Ann Buyer', phone: '+32470000001' };

describe('withRecipient (who a shipping address is for)', () => {
  it("takes the customer's name and phone when the address names no recipient", () => {
    expect(withRecipient(address, customer)).toEqual({ ...address, line2: null, region: null, name: 'Ann Buyer', phone: '+32470000001', company: null });
  });

  it("keeps the address's own recipient: a gift to someone else, at a company", () => {
    expect(withRecipient({ ...address, name: 'Bo Giftee', phone: '+32470000009', company: 'Acme NV' }, customer)).toMatchObject({
      name: 'Bo Giftee',
      phone: '+32470000009',
      company: 'Acme NV',
    });
  });

  it('has no phone when neither the address nor the customer has one', () => {
    expect(withRecipient(address, { name: 'Ann Buyer', phone: null }).phone).toBeNull();
  });
});
