/**
 * Building a RestClient from a kubeconfig file, as client-go's clientcmd does for
 * the fields kubelite's clusters use: server, certificate-authority(-data),
 * insecure-skip-tls-verify, tls-server-name; client-certificate(-data),
 * client-key(-data), token, tokenFile; the context's namespace. Relative file paths
 * are resolved against the kubeconfig's directory. Credential plugins (exec,
 * auth-provider) and basic auth are refused by name rather than half-served.
 *
 * The file is read with YAML 1.1 rules (what kubectl reads), without timestamps.
 * (cli/kubeconfig.ts writes these files; the client layer sits below the CLI and
 * keeps its own small reader.)
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import { RestClient, type RestClientOptions } from './rest.js';

const READ_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: YAML.Tags): YAML.Tags => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
};

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function named(cfg: Rec, list: string, field: string, name: string): Rec {
  const items = cfg[list];
  if (Array.isArray(items)) {
    for (const it of items) {
      if (isRec(it) && it['name'] === name) {
        const v = it[field];
        if (isRec(v)) return v;
        throw new Error(`kubeconfig: ${field} "${name}" is empty`);
      }
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
export function restOptionsFromKubeconfig(cfg: unknown, baseDir: string, context?: string): RestClientOptions {
  if (!isRec(cfg)) throw new Error('kubeconfig: not a YAML mapping');
  const ctxName = context ?? (typeof cfg['current-context'] === 'string' ? cfg['current-context'] : '');
  if (ctxName === '') throw new Error('kubeconfig: no context given and current-context is not set');
  const ctx = named(cfg, 'contexts', 'context', ctxName);
  const clusterName = str(ctx, 'cluster');
  if (clusterName === undefined) throw new Error(`kubeconfig: context "${ctxName}" names no cluster`);
  const cluster = named(cfg, 'clusters', 'cluster', clusterName);
  const userName = str(ctx, 'user');
  const user = userName === undefined ? {} : named(cfg, 'users', 'user', userName);

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
  const token = str(user, 'token') ?? (str(user, 'tokenFile') !== undefined ? file(str(user, 'tokenFile') as string).trim() : undefined);
  if (token !== undefined) opts.token = token;
  const ns = str(ctx, 'namespace');
  if (ns !== undefined) opts.namespace = ns;
  return opts;
}

/** Parses kubeconfig YAML text (YAML 1.1, as kubectl reads it). */
export function parseKubeconfigText(text: string): unknown {
  return YAML.parse(text, READ_OPTIONS) as unknown;
}

/**
 * A RestClient for a context (default: current-context) of the kubeconfig at path.
 * extra overrides what the file says (e.g. timeoutMs, userAgent).
 */
export async function clientFromKubeconfig(path: string, context?: string, extra: Partial<RestClientOptions> = {}): Promise<RestClient> {
  const text = await readFile(path, 'utf8');
  const opts = restOptionsFromKubeconfig(parseKubeconfigText(text), dirname(resolve(path)), context);
  return new RestClient({ ...opts, ...extra });
}
