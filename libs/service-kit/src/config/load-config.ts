import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown when the environment does not make a valid configuration; names every bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose value a configuration error never repeats (it goes to stderr and log collectors). */
const SECRET_VARIABLE = /(TOKEN|SECRET|PASSWORD|_KEY)$/;

/** A URL's password, as in `postgres://user:password@host` (a malformed URL is echoed too). */
const URL_PASSWORD = /(\/\/[^/:@\s]*:)[^@\s]*@/g;

function describe(errors: ValidationError[], env: Record<string, string | undefined>): string[] {
  return errors.map((error) => {
    const raw = env[error.property];
    const got =
      raw === undefined
        ? 'not set'
        : SECRET_VARIABLE.test(error.property)
          ? `got ${raw.length} characters, not shown`
          : `got "${raw.replace(URL_PASSWORD, '$1***@')}"`;
    return `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')} (${got})`;
  });
}

/**
 * Builds a configuration object from environment variables and validates it against a
 * class-validator class. Only the class's properties are taken from the environment.
 * @throws ConfigError listing each invalid or missing variable by name.
 */
export function loadConfig<T extends object>(
  service: string,
  cls: new () => T,
  env: Record<string, string | undefined>,
  defaults: Record<string, string> = {},
): T {
  const source: Record<string, string> = { ...defaults };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') source[key] = value;
  }
  const config = plainToInstance(cls, source, { excludeExtraneousValues: false, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(service, describe(errors, source));
  return config;
}
