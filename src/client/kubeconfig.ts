/**
 * Reading kubeconfig files: the one parser for every kubelite component (the CLI writes
 * and merges these files, see cli/kubeconfig.ts, but reads them through here), and the
 * RestClient a context describes, as client-go's clientcmd builds it for the fields
 * kubelite's clusters use: server, certificate-authority(-data),
 * insecure-skip-tls-verify, tls-server-name; client-certificate(-data),
 * client-key(-data), token, tokenFile; the context's namespace. Relative file paths are
 * resolved against the kubeconfig's directory. Credential plugins (exec, auth-provider)
 * and basic auth are refused by name rather than half-served.
 *
 * Files are read with YAML 1.1 rules, as kubectl (Go's yaml.v2 under sigs.k8s.io/yaml)
 * reads them: `yes` is a boolean, 0644 an octal number; timestamps stay strings.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import { RestClient, type RestClientOptions } from './rest.js';

export interface KubeconfigCluster {
  server: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  [field: string]: unknown;
}

export interface KubeconfigUser {
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  token?: string;
  [field: string]: unknown;
}

export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
  [field: string]: unknown;
}

export interface NamedCluster {
  name: string;
  cluster: KubeconfigCluster;
}
export interface NamedUser {
  name: string;
  user: KubeconfigUser;
}
export interface NamedContext {
  name: string;
  context: KubeconfigContext;
}

/** A kubeconfig (clientcmd/api/v1 Config). Unknown fields are kept. */
export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context': string;
  preferences?: Record<string, unknown>;
  [field: string]: unknown;
}

/** YAML 1.1 as Go's yaml.v2 reads it, minus timestamps, which it leaves as strings. */
const READ_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: YAML.Tags): YAML.Tags => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
};

function asList<T>(v: unknown, field: string): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`kubeconfig field "${field}" is not a list`);
  return v as T[];
}

function emptyKubeconfig(): Kubeconfig {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], 'current-context': '' };
}

/** Parses kubeconfig text as kubectl would; null lists become []. An empty file is an empty Config. */
export function parseKubeconfig(text: string): Kubeconfig {
  const raw: unknown = YAML.parse(text, READ_OPTIONS);
  if (raw === null || raw === undefined) return emptyKubeconfig();
  if (!isRec(raw)) throw new Error('kubeconfig is not a YAML mapping');
  return {
    ...raw,
    apiVersion: typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : 'v1',
    kind: typeof raw['kind'] === 'string' ? raw['kind'] : 'Config',
    clusters: asList<NamedCluster>(raw['clusters'], 'clusters'),
    users: asList<NamedUser>(raw['users'], 'users'),
    contexts: asList<NamedContext>(raw['contexts'], 'contexts'),
    'current-context': typeof raw['current-context'] === 'string' ? raw['current-context'] : '',
  };
}

/** Reads and parses a kubeconfig file; undefined when it does not exist. */
export async function readKubeconfig(path: string): Promise<Kubeconfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseKubeconfig(text);
}

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The field of the list entry called name; the file is user input, so every level is checked. */
function named(list: readonly unknown[], field: string, name: string): Rec {
  for (const it of list) {
    if (isRec(it) && it['name'] === name) {
      const v = it[field];
      if (isRec(v)) return v;
      throw new Error(`kubeconfig: ${field} "${name}" is empty`);
    }
  }
  throw new Error(`kubeconfig: ${field} "${name}" not found`);
}

function str(r: Rec, key: string): string | undefined {
  const v = r[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new Error(`kubeconfig: field "${key}" must be a string`);
  return v;
}

/**
 * The RestClient options a parsed kubeconfig describes for one context (default:
 * current-context). baseDir resolves relative file paths. Pure except for reading the
 * files the kubeconfig points at.
 */
export function restOptionsFromKubeconfig(cfg: Kubeconfig, baseDir: string, context?: string): RestClientOptions {
  const ctxName = context ?? cfg['current-context'];
  if (ctxName === '') throw new Error('kubeconfig: no context given and current-context is not set');
  const ctx = named(cfg.contexts, 'context', ctxName);
  const clusterName = str(ctx, 'cluster');
  if (clusterName === undefined) throw new Error(`kubeconfig: context "${ctxName}" names no cluster`);
  const cluster = named(cfg.clusters, 'cluster', clusterName);
  const userName = str(ctx, 'user');
  const user = userName === undefined ? {} : named(cfg.users, 'user', userName);

  const file = (p: string): string => readFileSync(isAbsolute(p) ? p : resolve(baseDir, p), 'utf8');
  const data = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
  const pick = (r: Rec, dataKey: string, fileKey: string): string | undefined => {
    const d = str(r, dataKey);
    if (d !== undefined) return data(d);
    const f = str(r, fileKey);
    return f === undefined ? undefined : file(f);
  };

  const server = str(cluster, 'server');
  if (server === undefined) throw new Error(`kubeconfig: cluster "${clusterName}" has no server`);
  const opts: RestClientOptions = { server };
  const ca = pick(cluster, 'certificate-authority-data', 'certificate-authority');
  if (ca !== undefined) opts.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) opts.insecureSkipTLSVerify = true;
  const sni = str(cluster, 'tls-server-name');
  if (sni !== undefined) opts.tlsServerName = sni;

  for (const unsupported of ['exec', 'auth-provider', 'username', 'password']) {
    if (user[unsupported] !== undefined && user[unsupported] !== null) {
      throw new Error(`kubeconfig: user "${userName ?? ''}" uses ${unsupported}, which kubelite's client does not support`);
    }
  }
  const cert = pick(user, 'client-certificate-data', 'client-certificate');
  const key = pick(user, 'client-key-data', 'client-key');
  if (cert !== undefined) opts.cert = cert;
  if (key !== undefined) opts.key = key;
  const tokenFile = str(user, 'tokenFile');
  const token = str(user, 'token') ?? (tokenFile !== undefined ? file(tokenFile).trim() : undefined);
  if (token !== undefined) opts.token = token;
  const ns = str(ctx, 'namespace');
  if (ns !== undefined) opts.namespace = ns;
  return opts;
}

/**
 * A RestClient for a context (default: current-context) of the kubeconfig at path.
 * extra overrides what the file says (e.g. timeoutMs, userAgent).
 */
export async function clientFromKubeconfig(path: string, context?: string, extra: Partial<RestClientOptions> = {}): Promise<RestClient> {
  const text = await readFile(path, 'utf8');
  const opts = restOptionsFromKubeconfig(parseKubeconfig(text), dirname(resolve(path)), context);
  return new RestClient({ ...opts, ...extra });
}
