import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import {
  arrayMinSize,
  getMetadataStorage,
  isArray,
  isBoolean,
  isEmail,
  isIn,
  isInt,
  isISO8601,
  isNotEmpty,
  isNumber,
  isNumberString,
  isString,
  isURL,
  isUUID,
  length,
  matches,
  max,
  maxLength,
  min,
} from 'class-validator';

/**
 * A compiled fast path for validateAgainst (validate.ts). Every consumed message's payload used to
 * go through class-transformer's plainToInstance and class-validator's validateSync, which interpret
 * the decorators' metadata again on every call: 5–13 % of every service's busy samples under
 * bench:orders. Here a class's metadata is read once into a plan, and a payload is checked and
 * copied into its instance by plain code that calls the very check functions class-validator's
 * decorators call.
 *
 * The compiled path only ever answers "valid, and here is the instance" (the instance
 * plainToInstance with exposeDefaultValues builds and validateSync with whitelist strips) or "not
 * sure": on anything it does not model — a decorator it does not know, a validation group, a
 * conditional other than @IsOptional, a custom constraint, @Expose/@Exclude/@Transform, a value that
 * is not plain JSON data, or an invalid value — validateAgainst runs class-validator as before,
 * which then gives its own answer and its own messages. So it must never accept what class-validator
 * rejects; compiled-validation.spec.ts checks that over every registered contract.
 */

/** A built-in rule: its check, called as its decorator calls it (value, the decorator's constraints). */
type Check = (value: unknown, constraints: readonly unknown[] | undefined) => boolean;

/**
 * The built-in rules the contracts use, by the name class-validator registers them under. Each
 * calls the same exported function with the same arguments as the decorator's own validator
 * (node_modules/class-validator/cjs/decorator/…). A rule not listed here makes its class fall back.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- constraints are whatever the decorator stored */
const CHECKS: Readonly<Record<string, Check>> = {
  isString: (value) => isString(value),
  isNotEmpty: (value) => isNotEmpty(value),
  isArray: (value) => isArray(value),
  isBoolean: (value) => isBoolean(value),
  isInt: (value) => isInt(value),
  isNumber: (value, c) => isNumber(value, c?.[0] as any),
  min: (value, c) => min(value, c?.[0] as any),
  max: (value, c) => max(value, c?.[0] as any),
  maxLength: (value, c) => maxLength(value, c?.[0] as any),
  isLength: (value, c) => length(value, c?.[0] as any, c?.[1] as any),
  matches: (value, c) => matches(value as string, c?.[0] as any, c?.[1] as any),
  isIn: (value, c) => isIn(value, c?.[0] as any),
  arrayMinSize: (value, c) => arrayMinSize(value, c?.[0] as any),
  isNumberString: (value, c) => isNumberString(value, c?.[0] as any),
  isIso8601: (value, c) => isISO8601(value, c?.[0] as any),
  isUuid: (value, c) => isUUID(value, c?.[0] as any),
  isEmail: (value, c) => isEmail(value, c?.[0] as any),
  isUrl: (value, c) => isURL(value as string, c?.[0] as any),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The rule names compiled (the others fall back to class-validator). */
export const COMPILED_RULES: readonly string[] = Object.keys(CHECKS);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = new (...args: any[]) => object;

interface RuleCheck {
  check: Check;
  constraints: readonly unknown[] | undefined;
  /** `{ each: true }`: every element of an array value is checked. */
  each: boolean;
}

interface PropertyPlan {
  name: string;
  /** @IsOptional: null and undefined skip every other rule. */
  optional: boolean;
  rules: RuleCheck[];
  /** @ValidateNested. */
  nested: boolean;
  /** The class @Type names, whose plan builds the nested instances. */
  type?: ClassPlan;
}

interface ClassPlan {
  cls: Constructor;
  properties: Map<string, PropertyPlan>;
}

/** class-validator's ValidationMetadata, the fields read here (the type is not exported). */
interface RuleMetadata {
  type: string;
  name?: string;
  propertyName: unknown;
  constraints?: unknown[];
  constraintCls?: unknown;
  groups?: string[];
  always?: boolean;
  each?: boolean;
  validateIf?: unknown;
}

interface ConstraintMetadata {
  name?: string;
  async?: boolean;
}

interface ValidatorStorage {
  getTargetValidationMetadatas(target: Constructor, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]): RuleMetadata[];
  getTargetValidatorConstraints(constraintCls: unknown): ConstraintMetadata[];
}

/** class-transformer's storage: its per-class maps (private, but the only way to see every property's metadata). */
interface TransformerMaps {
  _typeMetadatas: Map<unknown, Map<string, unknown>>;
  _transformMetadatas: Map<unknown, Map<string, unknown>>;
  _exposeMetadatas: Map<unknown, Map<string, unknown>>;
  _excludeMetadatas: Map<unknown, Map<string, unknown>>;
}

/** class-transformer's @Type metadata. */
interface TypeMetadata {
  typeFunction?: (options?: unknown) => unknown;
  reflectedType?: unknown;
  options?: { discriminator?: unknown; keepDiscriminatorProperty?: boolean };
}

const NOT_SURE = Symbol('not sure');
type NotSure = typeof NOT_SURE;

/** The class and its ancestors, up to (not including) Object. */
function lineage(cls: Constructor): object[] {
  const chain: object[] = [];
  for (let current: unknown = cls; typeof current === 'function' && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    chain.push(current);
  }
  return chain;
}

/** The names an instance inherits from its prototypes (methods, accessors, Object.prototype's too). */
function inheritedNames(cls: Constructor): Set<string> {
  const names = new Set<string>();
  for (let proto: object | null = cls.prototype as object; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  return names;
}

/** Whether class-transformer copies the class's properties unchanged (no @Expose/@Exclude/@Transform anywhere in its lineage). */
function copiedAsIs(cls: Constructor): boolean {
  const maps = defaultMetadataStorage as unknown as TransformerMaps;
  return lineage(cls).every((target) => !maps._transformMetadatas.has(target) && !maps._exposeMetadatas.has(target) && !maps._excludeMetadatas.has(target));
}

/** Whether an instance's prototype chain has an accessor below Object.prototype: class-transformer would call or skip it. */
function hasAccessors(cls: Constructor): boolean {
  for (let proto: object | null = cls.prototype as object; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.values(Object.getOwnPropertyDescriptors(proto)).some((descriptor) => descriptor.get || descriptor.set)) return true;
  }
  return false;
}

const plans = new WeakMap<Constructor, ClassPlan | null>();
const BUILDING = new WeakSet<Constructor>();

/** The class's plan, built on first use; null when the class must go through class-validator. */
function planOf(cls: Constructor): ClassPlan | null {
  const known = plans.get(cls);
  if (known !== undefined) return known;
  // A class that nests itself (directly or not) is not compiled: it falls back, as does its user.
  if (BUILDING.has(cls)) return null;
  BUILDING.add(cls);
  try {
    const plan = buildPlan(cls);
    plans.set(cls, plan);
    return plan;
  } finally {
    BUILDING.delete(cls);
  }
}

function buildPlan(cls: Constructor): ClassPlan | null {
  if (typeof cls !== 'function' || !copiedAsIs(cls) || hasAccessors(cls)) return null;
  const validator = getMetadataStorage() as unknown as ValidatorStorage;
  // The same lookup validateSync makes for the object (no schema, no groups, always and strictGroups off).
  const rules = validator.getTargetValidationMetadatas(cls, undefined, false, false, undefined);
  if (rules.length === 0) return null; // forbidUnknownValues refuses a class without rules
  const inherited = inheritedNames(cls);
  const properties = new Map<string, PropertyPlan>();
  for (const rule of rules) {
    const name = rule.propertyName;
    if (typeof name !== 'string' || name === '__proto__' || name === 'constructor' || inherited.has(name)) return null;
    if ((rule.groups && rule.groups.length > 0) || rule.always !== undefined || rule.validateIf !== undefined) return null;
    let property = properties.get(name);
    if (!property) properties.set(name, (property = { name, optional: false, rules: [], nested: false }));
    if (rule.type === 'conditionalValidation') {
      if (rule.name !== 'isOptional') return null; // @ValidateIf and other conditions
      property.optional = true;
    } else if (rule.type === 'nestedValidation') {
      property.nested = true;
    } else if (rule.type === 'customValidation') {
      const constraints = validator.getTargetValidatorConstraints(rule.constraintCls);
      const check = rule.name !== undefined && Object.hasOwn(CHECKS, rule.name) ? CHECKS[rule.name] : undefined;
      if (!check || constraints.length !== 1 || constraints[0].name !== rule.name || constraints[0].async) return null;
      property.rules.push({ check, constraints: rule.constraints, each: rule.each === true });
    } else {
      return null; // @IsDefined, @Allow, promise validation, anything newer
    }
  }
  // @Type only on validated properties (class-transformer would build instances for the others too).
  const maps = defaultMetadataStorage as unknown as TransformerMaps;
  for (const target of lineage(cls)) {
    for (const typed of maps._typeMetadatas.get(target)?.keys() ?? []) if (!properties.has(typed)) return null;
  }
  for (const property of properties.values()) {
    const type = defaultMetadataStorage.findTypeMetadata(cls, property.name) as TypeMetadata | undefined;
    if (!type) {
      if (property.nested) return null; // nested plain objects: forbidUnknownValues refuses them anyway
      continue;
    }
    if (!property.nested || !type.typeFunction || type.typeFunction.length !== 0 || type.options?.discriminator !== undefined) return null;
    const target = type.typeFunction() as Constructor;
    // An array value becomes a plain array unless the declared type is a Set or an Array-like class.
    const declared = type.reflectedType;
    if (declared !== undefined && declared !== Array && declared !== Object && declared !== target) return null;
    if (typeof target !== 'function' || 'push' in (target.prototype as object) || target.prototype instanceof Set) return null;
    const nested = planOf(target);
    if (!nested) return null;
    property.type = nested;
  }
  return { cls, properties };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

const isDenseArray = (value: unknown): value is unknown[] => {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  for (let index = 0; index < value.length; index++) if (!(index in value)) return false;
  return true;
};

const isScalar = (value: unknown): boolean => value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * Whether class-transformer copies the value of an unknown property (which the whitelist then
 * strips) without a surprise: JSON data only. An object with its own `constructor` property, for
 * one, makes class-transformer call that property as a constructor.
 */
function isPlainData(value: unknown): boolean {
  if (value === undefined || isScalar(value)) return true;
  if (isDenseArray(value)) return value.every(isPlainData);
  if (isPlainObject(value)) return !Object.hasOwn(value, 'constructor') && Object.values(value).every(isPlainData);
  return false;
}

/** What plainToInstance makes of a validated property without @Type: scalars as they are, arrays of scalars copied. */
function copyOf(value: unknown): unknown {
  if (isScalar(value)) return value;
  if (isDenseArray(value) && value.every(isScalar)) return value.slice();
  return NOT_SURE;
}

/** What plainToInstance makes of a property with @Type(() => plan.cls): instances, an array of them, or null. */
function instancesOf(plan: ClassPlan, value: unknown): unknown {
  if (value === null) return null;
  if (isPlainObject(value)) return build(plan, value);
  if (!isDenseArray(value)) return NOT_SURE;
  const instances: object[] = [];
  for (const element of value) {
    const instance = isPlainObject(element) ? build(plan, element) : NOT_SURE;
    if (instance === NOT_SURE) return NOT_SURE;
    instances.push(instance);
  }
  return instances;
}

/** Whether the property's value passes its rules, as class-validator's ValidationExecutor decides it. */
function passes(property: PropertyPlan, value: unknown): boolean {
  if (property.optional && (value === null || value === undefined)) return true;
  for (const { check, constraints, each } of property.rules) {
    if (each && Array.isArray(value) ? !value.every((element) => check(element, constraints)) : !check(value, constraints)) return false;
  }
  // Nested instances were validated as they were built; class-validator refuses null and scalars there.
  if (property.nested && value !== undefined) return typeof value === 'object' && value !== null;
  return true;
}

/** The validated instance of the plan's class for a plain object, or NOT_SURE. */
function build(plan: ClassPlan, plain: Record<string, unknown>): object | NotSure {
  const instance = new plan.cls() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (key === '__proto__' || key === 'constructor') continue; // class-transformer skips them
    const value = plain[key];
    const property = plan.properties.get(key);
    if (!property) {
      if (!isPlainData(value)) return NOT_SURE;
      continue; // copied by class-transformer, then stripped by the whitelist
    }
    if (value === undefined) {
      // exposeDefaultValues keeps the default, and class-transformer sets the key all the same.
      // eslint-disable-next-line no-self-assign
      instance[key] = instance[key];
      continue;
    }
    const copy = property.type ? instancesOf(property.type, value) : copyOf(value);
    if (copy === NOT_SURE) return NOT_SURE;
    instance[key] = copy;
  }
  // The whitelist: a property without rules (a default value, say) is removed.
  for (const key of Object.keys(instance)) if (!plan.properties.has(key)) delete instance[key];
  for (const property of plan.properties.values()) if (!passes(property, instance[property.name])) return NOT_SURE;
  return instance;
}

type Compiled = (plain: Record<string, unknown>) => object | undefined;
const compiled = new WeakMap<Constructor, Compiled | null>();

/**
 * The compiled validator of a class (built once, then kept): given a plain object (JSON data,
 * already screened by findHostileInput, so of bounded depth), the instance plainToInstance(cls,
 * plain, { exposeDefaultValues: true }) followed by validateSync(…, { whitelist: true,
 * forbidUnknownValues: true }) would produce when it finds no error; undefined when it is not sure
 * (an invalid payload among others), and class-validator must decide. Undefined for a class that is
 * not compiled at all.
 */
export function compiledValidator<T extends object>(cls: new (...args: never[]) => T): ((plain: Record<string, unknown>) => T | undefined) | undefined {
  const target = cls as unknown as Constructor;
  let validator = compiled.get(target);
  if (validator === undefined) {
    const plan = planOf(target);
    validator = plan && ((plain) => runPlan(plan, plain));
    compiled.set(target, validator);
  }
  return (validator ?? undefined) as ((plain: Record<string, unknown>) => T | undefined) | undefined;
}

function runPlan(plan: ClassPlan, plain: Record<string, unknown>): object | undefined {
  if (!isPlainObject(plain)) return undefined;
  try {
    const instance = build(plan, plain);
    return instance === NOT_SURE ? undefined : instance;
  } catch {
    return undefined; // a check that throws (isNumber's maxDecimalPlaces on 1e-7): class-validator reports it
  }
}
