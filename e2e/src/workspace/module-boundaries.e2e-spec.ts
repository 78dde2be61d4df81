import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** Lints `source` as if it were the file at `filePath`; returns the rules it broke. */
function lint(filePath: string, source: string): string[] {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '--format', 'json'],
    { cwd: root, input: source, encoding: 'utf8' },
  );
  if (result.status !== 0 && result.status !== 1) throw new Error(`eslint failed: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return report.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (Nx tags, enforced by lint)', () => {
  beforeAll(() => {
    // The lint rule reads Nx's cached project graph and silently skips without one.
    const graph = spawnSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false' },
      encoding: 'utf8',
    });
    if (graph.status !== 0) throw new Error(`nx show projects failed: ${graph.stderr}`);
  });

  it('stops a service from importing another service, by package or by path', () => {
    const byPackage = lint('services/gateway/src/leak.ts', `import { service } from '@skald/orders';\nexport const s = service;\n`);
    expect(byPackage).toEqual([expect.stringMatching(/^@nx\/enforce-module-boundaries: /)]);

    const byPath = lint('services/gateway/src/leak.ts', `import { service } from '../../orders/src/service.js';\nexport const s = service;\n`);
    expect(byPath).toEqual([expect.stringMatching(/^@nx\/enforce-module-boundaries: /)]);
  });

  it('stops the contracts from depending on the platform', () => {
    const result = lint('libs/contracts/src/leak.ts', `import { Outbox } from '@skald/messaging';\nexport const o = Outbox;\n`);
    expect(result).toEqual([expect.stringMatching(/^@nx\/enforce-module-boundaries: /)]);
  });

  it('lets a service use the platform and the contracts', () => {
    const result = lint(
      'services/gateway/src/fine.ts',
      `import { Outbox } from '@skald/messaging';\nimport { SkaldError } from '@skald/contracts';\nexport const both = [Outbox, SkaldError];\n`,
    );
    expect(result).toEqual([]);
  });
});
