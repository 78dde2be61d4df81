import { getMetadataStorage, IsInt, IsString, Min } from 'class-validator';
import { validateAgainst } from './validate.js';

class Base {
  @IsString()
  name!: string;
}

class Child extends Base {
  @IsInt()
  @Min(1, { groups: ['strict'] })
  quantity!: number;
}

type Lookup = (target: abstract new (...args: never[]) => unknown, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => unknown[];
const lookup = (...args: Parameters<Lookup>) => (getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup }).getTargetValidationMetadatas(...args);

describe('class-validator rules looked up once per class (validate.ts installs the cache)', () => {
  it('answers a second lookup with the same rules, without scanning again', () => {
    const first = lookup(Child, '', false, false);
    expect(lookup(Child, '', false, false)).toBe(first);
    // Inherited rules are part of the answer: Base's name besides Child's quantity.
    expect(new Set(first.map((m) => (m as { propertyName: string }).propertyName))).toEqual(new Set(['name', 'quantity']));
  });

  it('keeps answers apart by groups and options', () => {
    const ungrouped = lookup(Child, '', false, false);
    const strict = lookup(Child, '', false, false, ['strict']);
    expect(strict).not.toBe(ungrouped);
    expect(strict).toHaveLength(1); // only the @Min of group "strict"
    expect(lookup(Base, '', false, false)).toHaveLength(1);
  });

  it('validates as before', () => {
    expect(validateAgainst(Child, { name: 'mug', quantity: 2 })).toMatchObject({ ok: true });
    const invalid = validateAgainst(Child, { name: 7, quantity: 0.5 });
    expect(invalid.ok).toBe(false);
    expect(invalid.ok ? [] : invalid.errors).toEqual(expect.arrayContaining(['name: name must be a string', 'quantity: quantity must be an integer number']));
    // The same answer from the cache on a second validation.
    expect(validateAgainst(Child, { name: 7, quantity: 0.5 })).toEqual(invalid);
  });
});
