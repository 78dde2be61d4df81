/**
 * Each service image carries only that service's production dependencies (issue #12): the
 * Dockerfile's prod-deps commands, run with npm's dry run (from its cache, a few seconds a service), would
 * add no test runner, test server, test library, build tool or other workspace — and every package
 * the service's compiled code (and the libraries it uses) loads at run time is among what they add.
 * production-tree.spec.ts installs such a tree for real and starts the service from it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { addedPackages, importedPackages, isTestOrBuildTool, root, runProdDeps, scratchBase, type Service, services } from './production-tree.js';

describe.each(Object.keys(services) as Service[])('the %s image', (service) => {
  let packages: Set<string>;
  beforeAll(() => {
    const dir = scratchBase(service);
    try {
      packages = addedPackages(runProdDeps(dir, service, { dryRun: true }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('installs no test or build tooling and no other workspace', () => {
    expect(packages.size).toBeGreaterThan(50);
    expect(packages).toContain(`@skald/${service}`);
    expect([...packages].filter((name) => isTestOrBuildTool(name, service))).toEqual([]);
  });

  it('installs every package its compiled code and its libraries load at run time', () => {
    const dist = (dir: string) => {
      const at = path.join(root, dir, 'dist');
      if (!existsSync(at)) throw new Error(`${dir}/dist is missing: build first (npx nx run-many -t build)`);
      return at;
    };
    const libraries = [...packages].filter((p) => p.startsWith('@skald/') && p !== `@skald/${service}`).map((p) => `libs/${p.slice('@skald/'.length)}`);
    // The CMD's --import @skald/service-kit/instrument included.
    const loaded = new Set(['@skald/service-kit', ...[`services/${service}`, ...libraries].flatMap((dir) => [...importedPackages(dist(dir))])]);
    expect(loaded).toContain('@nestjs/core');
    expect([...loaded].filter((name) => !packages.has(name))).toEqual([]);
  });
});

describe('the lock every image installs from', () => {
  // Express 5's accepts, send, type-is and express each nested a copy of mime-types and its
  // database beside multer's: five mime databases in every service's heap (ADR 3, Memory). The
  // `overrides` in package.json keep one.
  it('holds one mime-types and one mime-db', () => {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const copies = (name: string) => Object.keys(lock.packages).filter((at) => at.endsWith(`node_modules/${name}`));
    expect(copies('mime-types')).toEqual(['node_modules/mime-types']);
    expect(copies('mime-db')).toEqual(['node_modules/mime-db']);
  });
});
