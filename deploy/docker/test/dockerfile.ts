/**
 * A small reader of Dockerfiles and .dockerignore files, enough for the tests beside it to check
 * deploy/docker/service.Dockerfile without a Docker engine (none runs on this machine or in CI).
 *
 * It follows the Dockerfile reference for what the file uses: parser directives, comments, line
 * continuations (`\`, comment lines inside a continuation dropped), instruction flags (`--from=…`),
 * exec form (a JSON array) versus shell form, `FROM … AS name`, global ARGs substituted into FROM,
 * and ENV's `key=value` pairs. Anything it does not understand (a changed escape character, a
 * heredoc) is an error, never a guess.
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY… */
  keyword: string;
  /** `--name=value` flags before the arguments (COPY --from, HEALTHCHECK --interval…). */
  flags: Record<string, string>;
  /** The arguments after the flags, continuations joined with a space. */
  args: string;
  /** The arguments as an array when written in exec form (JSON), else undefined. */
  exec?: string[];
  /** 1-based line the instruction starts on. */
  line: number;
}

export interface Stage {
  /** The image or earlier stage it starts from, global ARGs substituted. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  directives: Record<string, string>;
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Record<string, string | undefined>;
  stages: Stage[];
}

/** The exec form's array, when `args` is one (a JSON array of strings); shell form otherwise. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed;
  } catch {
    // Docker runs a string that is not valid JSON in shell form too.
  }
  return undefined;
}

/** Leading `--name=value` (or bare `--name`) flags, and what follows them. */
function splitFlags(text: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let rest = text;
  for (let m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags[m[1]] = m[2] ?? '';
    rest = rest.slice(m[0].length);
  }
  return { flags, args: rest };
}

/** `${NAME}` / `$NAME` replaced by `values`; unknown names are left as they are. */
export function substitute(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string, bare: string) => values[braced ?? bare] ?? whole);
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split('\n');
  const directives: Record<string, string> = {};
  // Parser directives: `# key=value` lines at the very top, before any other comment or instruction.
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*(\w+)\s*=\s*(.*?)\s*$/.exec(lines[i]);
    if (!m) break;
    directives[m[1].toLowerCase()] = m[2];
  }
  if (directives.escape !== undefined && directives.escape !== '\\') throw new Error(`escape=${directives.escape}: not supported`);

  const instructions: Instruction[] = [];
  for (; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const line = i + 1;
    let logical = '';
    let current = lines[i];
    // A line ending in a backslash continues on the next one; comment lines inside are dropped.
    while (/\\\s*$/.test(current)) {
      logical += `${current.replace(/\\\s*$/, '').trim()} `;
      i++;
      while (i < lines.length && lines[i].trim().startsWith('#')) i++;
      if (i >= lines.length) throw new Error(`line ${line}: the file ends inside a continuation`);
      current = lines[i];
    }
    logical = `${logical}${current.trim()}`.trim();
    const m = /^(\S+)\s*(.*)$/.exec(logical)!;
    if (/<<-?\w/.test(m[2])) throw new Error(`line ${line}: heredocs are not supported`);
    const { flags, args } = splitFlags(m[2]);
    instructions.push({ keyword: m[1].toUpperCase(), flags, args, exec: execForm(args), line });
  }

  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m) throw new Error(`line ${instruction.line}: FROM ${instruction.args}`);
      stages.push({ from: substitute(m[1], globalArgs), name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [name, value] = splitAssignment(instruction.args);
      globalArgs[name] = value;
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { directives, globalArgs, stages };
}

/** `NAME=value` (value unquoted) or `NAME`. */
function splitAssignment(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text.trim(), undefined] : [text.slice(0, eq).trim(), unquote(text.slice(eq + 1).trim())];
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** ENV's variables: `ENV a=1 b="two words"` (or the legacy `ENV name value`). */
export function envVariables(instruction: Instruction): Record<string, string> {
  const text = instruction.args;
  if (!/^\w+=/.test(text)) {
    const m = /^(\w+)\s+(.*)$/.exec(text)!;
    return { [m[1]]: m[2] };
  }
  const variables: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) variables[m[1]] = unquote(m[2]);
  return variables;
}

/** A stage by name (or its position in the file). */
export function stage(file: Dockerfile, nameOrIndex: string | number): Stage {
  const found = typeof nameOrIndex === 'number' ? file.stages.at(nameOrIndex) : file.stages.find((s) => s.name === nameOrIndex);
  if (!found) throw new Error(`no stage ${nameOrIndex} in [${file.stages.map((s) => s.name).join(', ')}]`);
  return found;
}

/**
 * Whether the build context keeps `file` (a path relative to the context root), by the
 * .dockerignore rules: a pattern matches a path or any folder above it, `*` stays within a path
 * segment, `**` spans any number of them, `!` keeps what an earlier rule left out, the last
 * matching rule wins.
 */
export function inBuildContext(dockerignore: string, file: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ keep: l.startsWith('!'), pattern: patternRegExp(l.replace(/^!/, '').replace(/^\/+/, '').replace(/\/+$/, '')) }));
  const segments = file.split('/');
  const candidates = segments.map((_, n) => segments.slice(0, n + 1).join('/'));
  let kept = true;
  for (const rule of rules) if (candidates.some((c) => rule.pattern.test(c))) kept = rule.keep;
  return kept;
}

function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` is any number of folders (none included); a trailing `**` anything at all.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
