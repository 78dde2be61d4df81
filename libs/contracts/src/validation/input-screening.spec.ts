import { findHostileInput, MAX_JSON_DEPTH, textProblem } from './input-screening.js';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('input screening', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['BEL', 'a\u0007', 'U+0007'],
    ['vertical tab', 'a\u000bb', 'U+000B'],
    ['ESC', '\u001b[2J', 'U+001B'],
    ['DEL', 'a\u007f', 'U+007F'],
    ['a C1 control (NEL)', 'a\u0085', 'U+0085'],
    ['the last C1 control', 'a\u009f', 'U+009F'],
  ])('refuses %s in text, naming the character', (_label, text, code) => {
    expect(textProblem(text)).toContain(code);
  });

  it.each([['a lone high surrogate', 'a\ud800b'], ['a lone low surrogate', '\udc00'], ['a high surrogate at the end', 'ab\udbff']])(
    'refuses %s',
    (_label, text) => {
      expect(textProblem(text)).toMatch(/lone surrogate/);
    },
  );

  it('accepts TAB, LF, CR, printable Unicode and surrogate pairs', () => {
    expect(textProblem('12 Rue de l’Église\r\n\tBâtiment B — 東京 😀 \u00a0')).toBeUndefined();
  });

  it('names the path of the first bad string, in arrays and objects alike', () => {
    expect(findHostileInput({ lines: [{ sku: 'ok' }, { sku: 'bad\u0000' }] })).toEqual({
      field: 'lines.1.sku',
      message: expect.stringContaining('lines.1.sku must not contain control characters'),
    });
    expect(findHostileInput({ a: 1, b: [true, null, 'fine'] })).toBeUndefined();
  });

  it('refuses a control character in a property name', () => {
    expect(findHostileInput({ customer: { 'na\u0000me': 'x' } })).toMatchObject({ field: 'customer', message: expect.stringMatching(/property name/) });
  });

  it(`allows ${MAX_JSON_DEPTH} levels of nesting and refuses one more, however deep it goes`, () => {
    expect(findHostileInput(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findHostileInput(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ message: expect.stringMatching(/nests deeper than 32 levels/) });
    expect(findHostileInput(nested(100_000))).toMatchObject({ message: expect.stringMatching(/nests deeper/) });
  });

  it('starts the path at the given field (a query, a path parameter)', () => {
    expect(findHostileInput('x\u0000', { field: 'sku' })).toMatchObject({ field: 'sku' });
  });
});
