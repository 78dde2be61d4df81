import { getMetadataStorage } from 'class-validator';

/** A validated class. */
type Target = abstract new (...args: never[]) => unknown;

/** MetadataStorage.getTargetValidationMetadatas (its metadata type is not exported by class-validator). */
type Lookup = (target: Target, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => unknown[];

const CACHED = Symbol.for('skald.validation-metadata-cache');

/**
 * class-validator finds a class's rules by scanning every registered class on each validation
 * (typestack/class-validator#2686): with all contracts and DTOs registered, that scan was the
 * hottest class-validator frame in every service's profile under bench:orders (2–4 % of busy
 * samples). A class's rules, its inherited ones included, are all registered when its module has
 * loaded (decorators run as the class is defined), so the answer for one (class, schema, always,
 * strictGroups, groups) never changes afterwards and is kept, per class in a WeakMap. Installed
 * once per process on class-validator's global storage, so Nest's ValidationPipe gains too.
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup; [CACHED]?: true };
  if (storage[CACHED]) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const byTarget = new WeakMap<Target, Map<string, unknown[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    let answers = byTarget.get(target);
    if (!answers) byTarget.set(target, (answers = new Map()));
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let found = answers.get(key);
    if (!found) answers.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage[CACHED] = true;
}
