import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWithHook } from '../../test/run-with-hook.js';
import { PHONE_NUMBER_FUNCTIONS } from './phone-numbers-on-demand.js';

const classValidator = path.dirname(require.resolve('class-validator/package.json'));

interface Loaded {
  /** libphonenumber-js's modules loaded once class-validator is imported, and after a phone number was validated. */
  atImport: number;
  afterValidation: number;
  /** What class-validator answered for a valid and an invalid number. */
  valid: boolean;
  invalid: boolean;
  message: string;
}

function importClassValidator(withHook: boolean): Loaded {
  const script = `
    const loaded = () => globalThis.loadedUrls.filter((url) => url.includes('/node_modules/libphonenumber-js/')).length;
    const validator = await import('class-validator');
    const atImport = loaded();
    class Contact { phone; }
    validator.IsPhoneNumber('GB')(Contact.prototype, 'phone');
    const [error] = validator.validateSync(Object.assign(new Contact(), { phone: '12' }));
    console.log(JSON.stringify({
      atImport,
      valid: validator.isPhoneNumber('+44 20 7946 0958'),
      invalid: validator.isPhoneNumber('12', 'GB'),
      message: Object.values(error.constraints).join(),
      afterValidation: loaded(),
    }));`;
  return runWithHook<Loaded>(withHook ? { file: 'phone-numbers-on-demand', register: 'loadPhoneNumbersOnDemand' } : null, script);
}

describe('loadPhoneNumbersOnDemand', () => {
  it('names every function the installed class-validator takes from libphonenumber-js, and only those', () => {
    const requiring = readdirSync(path.join(classValidator, 'cjs'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .filter((file) => readFileSync(path.join(classValidator, 'cjs', file), 'utf8').includes('libphonenumber-js'));
    expect(requiring).toEqual([path.join('decorator', 'string', 'IsPhoneNumber.js')]);
    const source = readFileSync(path.join(classValidator, 'cjs', requiring[0]), 'utf8');
    const [, binding] = /const (\w+) = require\("libphonenumber-js\/max"\);/.exec(source) ?? [];
    expect(binding).toBeDefined();
    const used = new Set([...source.matchAll(new RegExp(`${binding}\\.(\\w+)`, 'g'))].map((match) => match[1]));
    expect([...used].sort()).toEqual([...PHONE_NUMBER_FUNCTIONS].sort());
  });

  it('has class-validator load libphonenumber-js only when a phone number is validated, with the same answers', () => {
    const plain = importClassValidator(false);
    const hooked = importClassValidator(true);
    expect(plain.atImport).toBeGreaterThan(50);
    expect(hooked.atImport).toBe(0);
    expect(hooked.afterValidation).toBe(plain.afterValidation);
    expect({ ...hooked, atImport: 0 }).toEqual({ ...plain, atImport: 0 });
    expect(hooked).toMatchObject({ valid: true, invalid: false, message: 'phone must be a valid phone number' });
  });
});
