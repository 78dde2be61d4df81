import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CALLER_HEADERS, INTERNAL_SECURITY_SCHEME } from '../http/caller.js';

/** An OpenAPI security scheme (`{ type: 'http', scheme: 'bearer' }`, …). */
export type SecurityScheme = Parameters<DocumentBuilder['addSecurity']>[1];

export interface ApiDocOptions {
  service: string;
  description: string;
  version?: string;
  /** Security schemes the service's routes name besides the internal `gateway` one (the gateway's `bearer`). */
  securitySchemes?: Record<string, SecurityScheme>;
}

/** The service's OpenAPI document. */
export function createOpenApiDocument(app: INestApplication, options: ApiDocOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`Skald ${options.service}`)
    .setDescription(options.description)
    .setVersion(options.version ?? '1.0.0')
    .setLicense('Proprietary', 'https://skald.dev/license')
    .addServer('/')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: CALLER_HEADERS.token,
        description:
          'Internal routes are called only by the gateway, which authenticates the API key and passes the caller in x-skald-* headers, with this shared token (INTERNAL_API_TOKEN); without it every route but the probes and /metrics answers 401.',
      },
      INTERNAL_SECURITY_SCHEME,
    );
  for (const [name, scheme] of Object.entries(options.securitySchemes ?? {})) config.addSecurity(name, scheme);
  return SwaggerModule.createDocument(app, config.build(), {
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/**
 * Swagger UI at `/docs`, the OpenAPI JSON at `/docs-json`. The document is built at the first
 * request for it, not at start: most processes never serve it, and building it keeps a large
 * object graph (the gateway's document is ~0.5 MB of JSON) in every process's heap (issue #13).
 */
export function setupApiDocs(app: INestApplication, options: ApiDocOptions): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, options), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
