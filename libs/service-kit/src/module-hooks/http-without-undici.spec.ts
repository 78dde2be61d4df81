import { runWithHook } from '../../test/run-with-hook.js';

interface Imported {
  undiciLoaded: boolean;
  names: string[];
  defaultIsTheModule: boolean;
  createServerIsTheModules: boolean;
  excluded: string[];
}

function importHttp(withHook: boolean): Imported {
  const script = `
    const http = process.getBuiltinModule('node:http');
    const imported = await import('node:http');
    const again = await import('http');
    console.log(JSON.stringify({
      undiciLoaded: process.moduleLoadList.some((name) => name.includes('internal/deps/undici')),
      names: Object.keys(imported).sort(),
      defaultIsTheModule: imported.default === http && again === imported,
      createServerIsTheModules: imported.createServer === http.createServer,
      excluded: Object.keys(http).filter((name) => !(name in imported)).sort(),
    }));`;
  return runWithHook<Imported>(withHook ? { file: 'http-without-undici', register: 'importHttpWithoutUndici' } : null, script);
}

describe('importHttpWithoutUndici', () => {
  it('is needed: an ESM import of node:http loads Node’s internal undici without it', () => {
    expect(importHttp(false).undiciLoaded).toBe(true);
  });

  it('imports node:http without loading undici, with every other export as it was', () => {
    const plain = importHttp(false);
    const hooked = importHttp(true);
    expect(hooked.undiciLoaded).toBe(false);
    expect(hooked.defaultIsTheModule).toBe(true);
    expect(hooked.createServerIsTheModules).toBe(true);
    expect(hooked.excluded).toEqual(['CloseEvent', 'MessageEvent', 'WebSocket']);
    expect(hooked.names).toEqual(plain.names.filter((name) => !hooked.excluded.includes(name)));
  });
});
