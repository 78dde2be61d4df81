import { ListenedCache, type ToForget } from './listened-cache.js';

interface Value {
  group: string;
}

const MAX_ENTRIES = 50;
const MAX_AGE_MS = 60_000;

/** `id:<id>` forgets that id, `group:<g>` the values of a group, anything else everything. */
function toForget(payload: string): ToForget<Value> {
  if (payload.startsWith('id:')) return { id: payload.slice('id:'.length) };
  if (payload.startsWith('group:')) return { matching: (value) => value.group === payload.slice('group:'.length) };
  return 'everything';
}

/** A cache (its listener is not started: the services' int-specs cover it) and the lines it logged. */
function aCache(): { cache: ListenedCache<Value>; logged: string[] } {
  const logged: string[] = [];
  const cache = new ListenedCache<Value>({
    url: 'postgres://unused',
    channel: 'unused',
    applicationName: 'unused',
    maxEntries: MAX_ENTRIES,
    maxAgeMs: MAX_AGE_MS,
    label: { cache: 'thing cache', entries: 'things' },
    log: { warn: (message) => logged.push(`warn: ${message}`), log: (message) => logged.push(`log: ${message}`) },
    toForget,
  });
  return { cache, logged };
}

/** A cache whose LISTEN connection is up. */
function listeningCache(): ListenedCache<Value> {
  const { cache } = aCache();
  cache.resume();
  return cache;
}

const remember = (cache: ListenedCache<Value>, id: string, group = 'g') => cache.remember(id, { group }, cache.currentVersion);

describe('ListenedCache', () => {
  it('keeps nothing until its LISTEN connection is up', () => {
    const { cache } = aCache();
    remember(cache, 'a');
    expect([cache.active, cache.has('a'), cache.get('a')]).toEqual([false, false, undefined]);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = listeningCache();
    for (let i = 0; i < MAX_ENTRIES; i++) remember(cache, `k${i}`);
    expect(cache.get('k0')).toBeDefined(); // used: k1 is now the least recently used

    remember(cache, 'new');

    expect([cache.has('new'), cache.has('k0'), cache.has('k1'), cache.has('k2')]).toEqual([true, true, false, true]);
  });

  it('reads a value again after maxAgeMs, notification or not', () => {
    const cache = listeningCache();
    cache.remember('a', { group: 'g' }, cache.currentVersion, 1_000);
    expect(cache.get('a', 1_000 + MAX_AGE_MS - 1)).toEqual({ group: 'g' });
    expect(cache.get('a', 1_000 + MAX_AGE_MS)).toBeUndefined();
    expect(cache.has('a')).toBe(false);
  });

  it('does not keep a read that a notification, a loss or a reconnect overtook (it may predate the change)', () => {
    const cache = listeningCache();
    for (const overtake of [() => cache.changed('id:other'), () => cache.suspend(), () => cache.resume()]) {
      const before = cache.currentVersion;
      overtake();
      cache.resume();
      cache.remember('a', { group: 'g' }, before);
      expect(cache.has('a')).toBe(false);
    }
  });

  it('forgets the id a notification names, the values it matches, everything on any other payload', () => {
    const cache = listeningCache();
    for (const [id, group] of [['a', 'g1'], ['b', 'g1'], ['c', 'g2'], ['d', 'g2']]) remember(cache, id, group);

    cache.changed('id:d');
    expect(['a', 'b', 'c', 'd'].map((id) => cache.has(id))).toEqual([true, true, true, false]);
    cache.changed('group:g1');
    expect(['a', 'b', 'c'].map((id) => cache.has(id))).toEqual([false, false, true]);
    cache.changed('*');
    expect(cache.has('c')).toBe(false);
  });

  it('forgets everything on a lost connection and keeps nothing until it listens again (saying so in its log)', () => {
    const { cache, logged } = aCache();
    cache.resume();
    remember(cache, 'a');

    cache.suspend();
    remember(cache, 'b');
    expect([cache.active, cache.has('a'), cache.has('b')]).toEqual([false, false, false]);

    cache.resume();
    remember(cache, 'b');
    expect([cache.active, cache.has('b')]).toEqual([true, true]);
    expect(logged).toEqual([
      'warn: thing cache off: its LISTEN connection was lost; things are read from the database until it is back',
      'log: thing cache on again: its LISTEN connection is back',
    ]);
  });
});
