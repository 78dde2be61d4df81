import { currencyDecimals, minorUnitProblems } from './amounts.js';

describe('currencyDecimals', () => {
  it("answers a currency's minor unit, the same on every call (remembered after the first)", () => {
    for (let call = 0; call < 2; call++) {
      expect([currencyDecimals('EUR'), currencyDecimals('JPY'), currencyDecimals('BHD')]).toEqual([2, 0, 3]);
    }
  });

  it('answers undefined for what is not a three-letter code, every time', () => {
    for (let call = 0; call < 2; call++) {
      expect([currencyDecimals('eur'), currencyDecimals('EURO'), currencyDecimals(978), currencyDecimals(undefined)]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    }
  });

  it('names the amounts with more decimals than the currency has', () => {
    expect(minorUnitProblems('JPY', [['payment.amount', 100.5], ['lines[0].unitPrice', 100]])).toEqual([
      expect.objectContaining({ field: 'payment.amount' }),
    ]);
  });
});
