/**
 * class-validator, in a service process, without libphonenumber-js's metadata until a phone number
 * is validated with it.
 *
 * class-validator's index loads its `IsPhoneNumber` decorator, which requires `libphonenumber-js/max`
 * at once: 73 modules and the phone-number metadata of every country, ≈ 1.8 MB of every service's
 * heap (docs/adr/0003-service-runtime.md, Memory), for a decorator no Skald contract uses (phone
 * numbers are checked by a pattern of ours: PHONE_PATTERN in @skald/contracts). A module hook
 * answers that one require with a module whose `parsePhoneNumber` — the one function IsPhoneNumber
 * calls (a spec checks it against the installed class-validator) — requires the real library on
 * its first call.
 * Registered by the service entry before any service code loads (tracing/instrument.ts).
 */
import { registerHooks } from 'node:module';

/** What class-validator's IsPhoneNumber takes from `libphonenumber-js/max`. */
export const PHONE_NUMBER_FUNCTIONS: readonly string[] = ['parsePhoneNumber'];

/** The one module that requires the library: class-validator's IsPhoneNumber (its CommonJS build, which Node loads). */
const IS_PHONE_NUMBER = /^(.*\/node_modules\/class-validator\/)cjs\/decorator\/string\/IsPhoneNumber\.js$/;
/** The module's name, a file in class-validator's folder that does not exist, so the library resolves from there. */
const MODULE_FILE = 'skald-libphonenumber-on-demand.cjs';

/** Registers the hook; once per process (the service entry does). */
export function loadPhoneNumbersOnDemand(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const validator = specifier === 'libphonenumber-js/max' ? IS_PHONE_NUMBER.exec(new URL(context.parentURL ?? 'file:///').pathname) : null;
      if (validator) return { url: `file://${validator[1]}${MODULE_FILE}`, format: 'commonjs', shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (!url.endsWith(`/node_modules/class-validator/${MODULE_FILE}`)) return nextLoad(url, context);
      const source = [
        "'use strict';",
        'let library;',
        "const load = () => (library ??= require('libphonenumber-js/max'));",
        ...PHONE_NUMBER_FUNCTIONS.map((name) => `exports.${name} = function ${name}(...args) { return load().${name}(...args); };`),
      ].join('\n');
      return { format: 'commonjs', source, shortCircuit: true };
    },
  });
}
