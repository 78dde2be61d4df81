import type { ChildProcess } from 'node:child_process';

export interface ServiceInfo {
  name: string;
  port: number;
}
export interface StartedService {
  name: string;
  child: ChildProcess;
  url: string;
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
  /** The internal token the service accepts (the first, during a rotation). */
  internalToken: string;
  /** Which process of its service this is (0 unless the suite runs replicas). */
  replica?: number;
}
export interface Suite {
  services: StartedService[];
  /** Each service's URL (its first replica's). */
  urls: Record<string, string>;
  /** Each process's URL, by service. */
  replicaUrls: Record<string, string[]>;
  /** The internal token the services share this run (what the gateway sends them). */
  internalToken: string;
}
export interface StartOptions {
  onLine?: (line: string) => void;
  timeoutMs?: number;
}
export interface SuiteOptions extends StartOptions {
  /** Processes per service (default 1). */
  replicas?: number;
}
/** The repository's root folder. */
export const root: string;
export const SERVICES: ServiceInfo[];
/** The V8 flags of a service process, on node's command line (NODE_OPTIONS refuses them), as the Docker image's CMD gives them. */
export const SERVICE_V8_FLAGS: string[];
/** The arguments of `node` that start a service from its folder: its V8 flags, the tracing SDK, then dist/main.js. */
export const SERVICE_ENTRY: string[];
/** The V8 flags a service starts with here: SERVICE_V8_FLAGS, unless SKALD_SERVICE_V8_FLAGS (space-separated) replaces them. */
export function serviceV8Flags(env?: NodeJS.ProcessEnv): string[];
/** SERVICE_ENTRY with serviceV8Flags() in front. */
export function serviceEntry(env?: NodeJS.ProcessEnv): string[];
/** NODE_OPTIONS of a service process (V8 heap settings), as the Docker image sets them. */
export const SERVICE_NODE_OPTIONS: string;
/** MALLOC_ARENA_MAX of a service process, as the Docker image sets it. */
export const SERVICE_MALLOC_ARENA_MAX: string;
export function serviceDir(name: string): string;
/** The gateway's upstream URLs (ORDERS_URL, INVENTORY_URL, WAREHOUSE_URL, RETURNS_URL) from each service's URL. */
export function gatewayUpstreams(urlOf: (name: string) => string): Record<'ORDERS_URL' | 'INVENTORY_URL' | 'WAREHOUSE_URL' | 'RETURNS_URL', string>;
export function startService(name: string, env: Record<string, string>, options?: StartOptions): StartedService;
export function freePort(): Promise<number>;
export function newInternalToken(): string;
export function waitUntilReady(url: string, timeoutMs?: number, exited?: Promise<unknown>): Promise<void>;
export function startSuite(
  envFor: (name: string, defaultPort: number, replica: number) => Record<string, string> | Promise<Record<string, string>>,
  options?: SuiteOptions,
): Promise<Suite>;
export function stopSuite(suite: { services: StartedService[] }): Promise<Array<{ name: string; code: number | null; signal: NodeJS.Signals | null }>>;
