import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PHONE_NUMBER_FUNCTIONS } from './phone-numbers-on-demand.js';

const classValidator = path.dirname(require.resolve('class-validator/package.json'));
// In a child node process: the hook is Node's (module.registerHooks), which Jest's own module system
// bypasses. The child loads the built module (npm test builds before it tests).
const hook = pathToFileURL(path.resolve(__dirname, '../../dist/module-hooks/phone-numbers-on-demand.js')).href;

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
    import { registerHooks } from 'node:module';
    const { loadPhoneNumbersOnDemand } = await import(${JSON.stringify(hook)});
    if (${withHook}) loadPhoneNumbersOnDemand();
    const loaded = new Set();
    registerHooks({ load(url, context, nextLoad) { if (url.includes('/node_modules/libphonenumber-js/')) loaded.add(url); return nextLoad(url, context); } });
    const validator = await import('class-validator');
    const atImport = loaded.size;
    class Contact { phone; }
    validator.IsPhoneNumber('GB')(Contact.prototype, 'phone');
    const contact = Object.assign(new Contact(), { phone: '12' });
    const [error] = validator.validateSync(contact);
    console.log(JSON.stringify({
      atImport,
      valid: validator.isPhoneNumber('+44 20 7946 0958'),
      invalid: validator.isPhoneNumber('12', 'GB'),
      message: Object.values(error.constraints).join(),
      afterValidation: loaded.size,
    }));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
  return JSON.parse(output) as Loaded;
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
