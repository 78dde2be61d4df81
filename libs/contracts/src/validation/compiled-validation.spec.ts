import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { Expose, Transform, Type } from 'class-transformer';
import { getMetadataStorage, IsDefined, IsInt, IsOptional, IsString, Min, registerDecorator, ValidateIf, ValidateNested } from 'class-validator';
import fc from 'fast-check';
import '../index.js'; // every contract registers itself
import { OrderPlaced } from '../orders/order-placed.v1.js';
import { messageRegistry } from '../registry/message-definition.js';
import { OutboundNoteProgressed } from '../warehouse/outbound-note-progressed.v1.js';
import { compiledValidator } from './compiled-validation.js';
import { findHostileInput } from './input-screening.js';
import { validateAgainst, validateWithClassValidator } from './validate.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- metadata and fuzzed values are untyped */
// The two interpreters' entry points, not exported by the packages' main modules.
type Spied = { prototype: Record<string, (...args: unknown[]) => unknown> };
const { TransformOperationExecutor } = require('class-transformer/cjs/TransformOperationExecutor.js') as { TransformOperationExecutor: Spied };
const { ValidationExecutor } = require('class-validator/cjs/validation/ValidationExecutor.js') as { ValidationExecutor: Spied };
type Cls = new () => object;
interface Rule {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: any[];
  each?: boolean;
}

const rulesOf = (cls: Cls): Rule[] => (getMetadataStorage() as any).getTargetValidationMetadatas(cls, undefined, false, false, undefined);

const DECIMAL_TEXT = fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 99 })).map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);

/** Values that mostly satisfy a property's rules (read from class-validator's metadata, not from the compiled plan). */
function valueArbitrary(cls: Cls, property: string, rules: Rule[], depth: number): fc.Arbitrary<unknown> {
  const rule = (name: string) => rules.find((r) => r.type === 'customValidation' && r.name === name);
  const typed = defaultMetadataStorage.findTypeMetadata(cls, property);
  const minSize = rule('arrayMinSize')?.constraints?.[0] ?? 0;
  if (typed?.typeFunction) {
    const nested = classArbitrary(typed.typeFunction() as Cls, depth + 1);
    return rule('isArray') ? fc.array(nested, { minLength: minSize, maxLength: 3 }) : nested;
  }
  let value: fc.Arbitrary<unknown>;
  const matches = rule('matches');
  const lo = rule('min')?.constraints?.[0] ?? -1000;
  const hi = rule('max')?.constraints?.[0] ?? 1_000_000;
  if (rule('isIn')) value = fc.constantFrom(...(rule('isIn')!.constraints![0] as unknown[]));
  else if (rule('isUuid')) value = fc.uuid({ version: 4 });
  else if (rule('isIso8601')) value = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  else if (rule('isEmail')) value = fc.constantFrom('ada@example.com', 'ops.team+alerts@warehouse.example.org');
  else if (rule('isUrl')) value = fc.constantFrom('https://hooks.example.com/skald', 'https://shop.example.org/webhooks/1?x=2');
  else if (rule('isNumberString')) value = DECIMAL_TEXT;
  else if (matches) value = fc.stringMatching(new RegExp((matches.constraints![0] as RegExp).source)); // without flags: a subset
  else if (rule('isInt')) value = fc.integer({ min: lo, max: hi });
  else if (rule('isNumber')) value = fc.integer({ min: lo * 100, max: hi * 100 }).map((n) => n / 100);
  else if (rule('isBoolean')) value = fc.boolean();
  else {
    const most = rule('maxLength')?.constraints?.[0] ?? rule('isLength')?.constraints?.[1] ?? 30;
    const least = Math.max(1, rule('isLength')?.constraints?.[0] ?? 1);
    value = fc.string({ minLength: least, maxLength: Math.max(least, Math.min(most, 30)) });
  }
  return rules.some((r) => r.each) ? fc.array(value, { minLength: minSize, maxLength: 3 }) : value;
}

const classArbitraries = new Map<Cls, fc.Arbitrary<Record<string, unknown>>>();

/** Mostly valid plain payloads of a class; optional properties absent, null or set. */
function classArbitrary(cls: Cls, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const known = classArbitraries.get(cls);
  if (known) return known;
  const byProperty = new Map<string, Rule[]>();
  for (const rule of rulesOf(cls)) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  const required: string[] = [];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [property, rules] of byProperty) {
    const value = valueArbitrary(cls, property, rules, depth);
    if (rules.some((r) => r.name === 'isOptional')) model[property] = fc.option(value, { nil: null });
    else {
      model[property] = value;
      required.push(property);
    }
  }
  const arbitrary = fc.record(model, { requiredKeys: required, noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
  classArbitraries.set(cls, arbitrary);
  return arbitrary;
}

/** Sets an own property, `__proto__` included (as JSON.parse does). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of arrays and plain (or null-prototype) objects; other values as they are. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy = Object.create(proto) as object;
  for (const key of Object.keys(value)) define(copy, key, clone((value as Record<string, unknown>)[key]));
  return copy;
}

const ODD_VALUES = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, '', ' ', 'x', 0, -0, -1, 1, 1.5, 1e-7, 1e21, true, false, [], {}, [null], [{}], [[]], ['x'], 'not-a-uuid', '2024-13-45', '12.34'),
  fc.constantFrom<unknown>({ constructor: 'x' }, { __proto__: null }, [1, 'a'], { then: 'x' }, new Date(0)),
  fc.jsonValue({ maxDepth: 2 }),
);
const ODD_KEYS = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'extra', 'then', 'length'), fc.string({ maxLength: 8 }));

type Mutation = { kind: 'drop'; path: number[] } | { kind: 'set'; path: number[]; value: unknown } | { kind: 'add'; path: number[]; key: string; value: unknown };
const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), path: fc.array(fc.nat(), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('set' as const), path: fc.array(fc.nat(), { maxLength: 4 }), value: ODD_VALUES }),
  fc.record({ kind: fc.constant('add' as const), path: fc.array(fc.nat(), { maxLength: 4 }), key: ODD_KEYS, value: ODD_VALUES }),
);

/** Applies mutations along a path chosen by the numbers (each picks a key of the current container). */
function mutate(sample: Record<string, unknown>, mutations: Mutation[]): unknown {
  const root = clone(sample) as Record<string, unknown>;
  for (const mutation of mutations) {
    let container: any = root;
    let key: string | undefined;
    for (const step of mutation.path) {
      const keys = Object.keys(container);
      if (keys.length === 0) break;
      key = keys[step % keys.length];
      const child = container[key];
      if (child === null || typeof child !== 'object' || child instanceof Date) break;
      container = child;
      key = undefined;
    }
    const keys = Object.keys(container);
    const target = key ?? (keys.length > 0 ? keys[(mutation.path.at(-1) ?? 0) % keys.length] : undefined);
    if (mutation.kind === 'add') define(container, Array.isArray(container) ? String(container.length) : mutation.key, clone(mutation.value));
    else if (target === undefined) continue;
    else if (mutation.kind === 'drop') {
      if (Array.isArray(container)) container.splice(Number(target), 1);
      else delete container[target];
    } else define(container, target, clone(mutation.value));
  }
  return root;
}

const outcome = (run: () => unknown): { returned: unknown } | { threw: string } => {
  try {
    return { returned: run() };
  } catch (error) {
    return { threw: String(error) };
  }
};

/**
 * The compiled path against class-validator for one input, given as a fresh copy each time (the
 * interpreted path may not share objects with the compiled one): whatever the compiled path
 * accepts, class-validator accepts with a deeply equal instance (classes included), and
 * validateAgainst answers exactly as class-validator does, messages included.
 */
function compare(cls: Cls, fresh: () => unknown): { compiled: boolean; valid: boolean } {
  const plain = fresh();
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain) || findHostileInput(plain)) {
    expect(validateAgainst(cls, plain).ok).toBe(false);
    return { compiled: false, valid: false };
  }
  const accepted = compiledValidator(cls)!(fresh() as Record<string, unknown>);
  const reference = outcome(() => validateWithClassValidator(cls, fresh() as object));
  if (accepted !== undefined) expect(reference).toStrictEqual({ returned: { ok: true, value: accepted } });
  expect(outcome(() => validateAgainst(cls, fresh()))).toStrictEqual(reference);
  return { compiled: accepted !== undefined, valid: 'returned' in reference && (reference.returned as { ok: boolean }).ok };
}

const contracts = messageRegistry.all().map((definition) => [definition.routingKey, definition.payload as Cls] as const);

describe('compiled payload validation, against class-validator', () => {
  it('compiles every registered contract (a contract that falls back would lose the fast path unnoticed)', () => {
    expect(contracts.length).toBeGreaterThan(30);
    expect(contracts.filter(([, cls]) => !compiledValidator(cls)).map(([key]) => key)).toEqual([]);
  });

  describe.each(contracts)('%s', (_routingKey, cls) => {
    it('accepts valid payloads through the compiled path, with the instance class-validator builds', () => {
      let valid = 0;
      fc.assert(
        fc.property(classArbitrary(cls), fc.boolean(), (sample, viaJson) => {
          const text = JSON.stringify(sample);
          const result = compare(cls, viaJson ? () => JSON.parse(text) : () => clone(sample));
          if (result.valid) {
            valid++;
            expect(result.compiled).toBe(true);
          }
        }),
        { numRuns: 60 },
      );
      expect(valid).toBeGreaterThan(30); // the samples are mostly valid, so the check above means something
    });

    it('never accepts what class-validator refuses, and answers as it does, over mutated payloads', () => {
      fc.assert(
        fc.property(classArbitrary(cls), fc.array(MUTATION, { minLength: 1, maxLength: 3 }), fc.boolean(), (sample, mutations, viaJson) => {
          const mutated = mutate(sample, mutations);
          const text = JSON.stringify(mutated);
          compare(cls, viaJson ? () => JSON.parse(text) : () => clone(mutated));
        }),
        { numRuns: 150 },
      );
    });
  });

  it('answers as class-validator does for arbitrary JSON objects', () => {
    fc.assert(
      fc.property(fc.constantFrom(...contracts.map(([, cls]) => cls)), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })), (cls, plain) => {
        const text = JSON.stringify(plain);
        compare(cls, () => JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});

class Line {
  @IsString()
  sku!: string;
}

class Compilable {
  @IsString()
  note!: string;

  @ValidateNested()
  @Type(() => Line)
  @IsOptional()
  line?: Line;

  @IsInt()
  count!: number;
}

/** A constraint registered under a name of its own, on an otherwise compilable class. */
class WithCustomConstraint extends Compilable {}
registerDecorator({
  name: 'isEven',
  target: WithCustomConstraint,
  propertyName: 'count',
  validator: { validate: (value: unknown) => typeof value === 'number' && value % 2 === 0 },
});

class WithGroup {
  @IsInt()
  @Min(1, { groups: ['strict'] })
  quantity!: number;
}

class WithCondition {
  @ValidateIf((o: { kind?: string }) => o.kind === 'x')
  @IsString()
  note?: string;
}

class WithIsDefined {
  @IsDefined()
  note?: string;
}

class WithTransform {
  @Transform(({ value }) => String(value).trim())
  @IsString()
  note!: string;
}

class WithRenamedProperty {
  @Expose({ name: 'n' })
  @IsString()
  note!: string;
}

describe('what the compiled path leaves to class-validator', () => {
  it.each([
    ['a validation group', WithGroup],
    ['@ValidateIf', WithCondition],
    ['@IsDefined', WithIsDefined],
    ['@Transform', WithTransform],
    ['@Expose with a name', WithRenamedProperty],
    ['a custom constraint', WithCustomConstraint],
  ])('%s makes the class fall back entirely', (_label, cls) => {
    expect(compiledValidator(cls as Cls)).toBeUndefined();
  });

  it('compiles a class like those, without the unsupported rule', () => {
    expect(compiledValidator(Compilable)).toBeDefined();
  });

  it('leaves the messages of an invalid payload to class-validator', () => {
    const result = validateAgainst(OutboundNoteProgressed, { noteId: '', orderId: 'o-1', warehouse: 'WH-1', status: 'lost', at: 'yesterday' });
    expect(result).toEqual({
      ok: false,
      errors: [
        'noteId: noteId should not be empty',
        'status: status must be one of the following values: confirmed, picking, packed',
        'at: at must be a valid ISO 8601 date string',
      ],
    });
  });
});

describe('the compiled path is the one taken', () => {
  const placed = {
    orderId: 'f3b0c7a2-6a4e-4f7e-9d53-3c1f6f0a9b11',
    externalId: 'EXT-1',
    channel: 'web',
    customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com', phone: null },
    lines: [
      { sku: 'MUG-1', quantity: 2, unitPrice: '12.50' },
      { sku: 'TEA-9', quantity: 1, unitPrice: '4.00', discontinued: true },
    ],
    currency: 'EUR',
    totalAmount: '29.00',
    shippingAddress: { line1: '1 Rue', city: 'Paris', postalCode: '75001', country: 'FR', name: 'Ada' },
    paymentStatus: 'paid',
    addedByANewerProducer: { nested: [1, 2] },
  };

  afterEach(() => jest.restoreAllMocks());

  it('validates a valid payload without class-transformer or class-validator, and still strips unknown fields', () => {
    const transform = jest.spyOn(TransformOperationExecutor.prototype, 'transform');
    const execute = jest.spyOn(ValidationExecutor.prototype, 'execute');
    const result = validateAgainst(OrderPlaced, JSON.parse(JSON.stringify(placed)));
    expect(transform).not.toHaveBeenCalled();
    expect(execute).not.toHaveBeenCalled();
    expect(result.ok && result.value).toBeInstanceOf(OrderPlaced);
    expect(result.ok && 'addedByANewerProducer' in result.value).toBe(false);
    expect(result.ok && result.value.lines.map((line) => Object.keys(line))).toEqual([
      ['sku', 'quantity', 'unitPrice'],
      ['sku', 'quantity', 'unitPrice'],
    ]);
  });

  it('goes through class-validator for an invalid one', () => {
    const execute = jest.spyOn(ValidationExecutor.prototype, 'execute');
    const result = validateAgainst(OrderPlaced, { ...placed, lines: [] });
    expect(execute).toHaveBeenCalled();
    expect(result).toEqual({ ok: false, errors: ['lines: lines must contain at least 1 elements'] });
  });
});
