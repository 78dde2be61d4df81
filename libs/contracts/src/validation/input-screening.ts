/**
 * How deep JSON may nest (objects and arrays, counted from the top value as 1). No Skald body or
 * message comes near it; the limit stops a hostile body a few thousand levels deep from reaching
 * code that walks it recursively (class-transformer, class-validator, JSON.stringify).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * C0 controls except TAB, LF and CR; DEL and the C1 controls. NUL in particular: PostgreSQL
 * refuses it in text and jsonb, so it would fail an insert rather than the validation.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** A UTF-16 surrogate without its partner: it has no UTF-8 form (PostgreSQL's jsonb refuses it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One refused piece of input: where it is (`lines.0.sku`, empty for the top) and why. */
export interface InputProblem {
  field: string;
  message: string;
}

/** Why a string is refused, or undefined if it is acceptable text. */
export function textProblem(value: string): string | undefined {
  const control = CONTROL_CHARACTER.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `must not contain control characters (U+${code} at position ${control.index})`;
  }
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it has a lone surrogate)';
  return undefined;
}

const join = (parent: string, key: string | number): string => (parent ? `${parent}.${key}` : String(key));

/**
 * The first hostile piece of a parsed JSON value (a body, a query, a message payload): nesting
 * deeper than `maxDepth`, or a string or property name with a control character or a lone
 * surrogate. Iterative, so a value of any depth is scanned without growing the stack.
 */
export function findHostileInput(value: unknown, options: { maxDepth?: number; field?: string } = {}): InputProblem | undefined {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const pending: Array<{ value: unknown; field: string; depth: number }> = [{ value, field: options.field ?? '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, field, depth } = next;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field, message: `${field || 'value'} ${problem}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return { field, message: `${field || 'the body'} nests deeper than ${maxDepth} levels` };
    const entries: Array<[string | number, unknown]> = Array.isArray(current) ? current.map((item, index) => [index, item]) : Object.entries(current);
    for (const [key, inner] of entries) {
      if (typeof key === 'string') {
        const problem = textProblem(key);
        if (problem) return { field, message: `a property name in ${field || 'the body'} ${problem}` };
      }
      pending.push({ value: inner, field: join(field, key), depth: depth + 1 });
    }
  }
  return undefined;
}
