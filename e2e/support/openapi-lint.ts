import { createConfig, lintFromString } from '@redocly/openapi-core';

export interface LintResult {
  errors: string[];
  warnings: string[];
}

/** Lints an OpenAPI document with Redocly's `recommended` rules. */
export async function lintOpenApi(document: object): Promise<LintResult> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  const describe = (p: (typeof problems)[number]) => `${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? '?'})`;
  return {
    errors: problems.filter((p) => p.severity === 'error').map(describe),
    warnings: problems.filter((p) => p.severity === 'warn').map(describe),
  };
}
