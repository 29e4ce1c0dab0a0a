/**
 * kubeconfig files as the CLI writes them: building one for the cluster admin
 * (DATA_DIR/admin.conf), writing it, and merging a named cluster/user/context into a
 * user's existing file the way kind does (same-name entries replaced, everything else
 * left as it was, current-context optionally switched). Reading and parsing is the
 * client layer's (client/kubeconfig.ts), shared with every component.
 *
 * Merging edits the YAML document in place rather than re-serialising a parsed
 * object: entries we do not own keep their text, comments, and scalar forms
 * exactly (kubectl reads with YAML 1.1 rules, where `yes`, `0644` or an unquoted
 * timestamp mean something a YAML 1.2 round trip would change). New strings that
 * YAML 1.1 would read as anything but a string are double-quoted.
 *
 * Writes are atomic (temp file + rename) with mode 0600 and hold `<path>.lock`,
 * the lock file kubectl (client-go) and kind use for the same file.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import YAML, { Document, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node as YAMLNode } from 'yaml';
import { parseKubeconfig, type Kubeconfig, type KubeconfigCluster, type KubeconfigContext, type KubeconfigUser } from '../client/kubeconfig.js';
import { withLockFile, writeFileAtomic } from '../pki/atomic.js';

/** One cluster, user and context stored under one name (as kind stores "kind-<cluster>"). */
export interface KubeconfigEntry {
  name: string;
  cluster: KubeconfigCluster;
  user: KubeconfigUser;
  /** Default: { cluster: name, user: name }. */
  context?: KubeconfigContext;
}

export interface KubeconfigEntryOptions {
  /** Name of the cluster, user and context; default "kubelite". */
  name?: string;
  /** API server URL, e.g. https://127.0.0.1:6443. */
  server: string;
  /** PEM of the CA that signed the API server's certificate. */
  caPEM: string;
  /** PEM client certificate and key (for the admin: DIR/pki/admin.crt and admin.key). */
  clientCertPEM: string;
  clientKeyPEM: string;
  /** Default namespace of the context. */
  namespace?: string;
}

export const DEFAULT_CONTEXT_NAME = 'kubelite';

function b64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

/** A named cluster/user/context with the certificates embedded as *-data (base64 PEM). */
export function kubeconfigEntry(opts: KubeconfigEntryOptions): KubeconfigEntry {
  const name = opts.name ?? DEFAULT_CONTEXT_NAME;
  if (name === '') throw new Error('kubeconfig entry name must not be empty');
  let url: URL;
  try {
    url = new URL(opts.server);
  } catch {
    throw new Error(`kubeconfig server "${opts.server}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`kubeconfig server "${opts.server}" must be http(s)`);
  const context: KubeconfigContext = { cluster: name, user: name };
  if (opts.namespace !== undefined && opts.namespace !== '') context.namespace = opts.namespace;
  return {
    name,
    cluster: { 'certificate-authority-data': b64(opts.caPEM), server: opts.server },
    user: { 'client-certificate-data': b64(opts.clientCertPEM), 'client-key-data': b64(opts.clientKeyPEM) },
    context,
  };
}

/** A complete kubeconfig holding one entry, current-context set to it. Keys in kubectl's order. */
export function buildKubeconfig(opts: KubeconfigEntryOptions | KubeconfigEntry): Kubeconfig {
  const entry = 'server' in opts ? kubeconfigEntry(opts) : opts;
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: entry.cluster, name: entry.name }],
    contexts: [{ context: entry.context ?? { cluster: entry.name, user: entry.name }, name: entry.name }],
    'current-context': entry.name,
    kind: 'Config',
    preferences: {},
    users: [{ name: entry.name, user: entry.user }],
  };
}

// ---- YAML ----------------------------------------------------------------

const WRITE_OPTIONS = { lineWidth: 0, indentSeq: false };

/** True when a string, written plain, would be read by YAML 1.1 or 1.2 as something other than that string. */
function ambiguous(s: string): boolean {
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (YAML.parse(s, { version }) !== s) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * Builds a YAML node for a plain JSON-like value, for a document parsed with the
 * failsafe schema (where every scalar is a string): strings are quoted when
 * ambiguous; numbers, booleans and null are written plain, so they keep their type.
 */
function toNode(v: unknown): YAMLNode {
  if (v === null) return new Scalar('null');
  if (typeof v === 'string') {
    const s = new Scalar(v);
    if (ambiguous(v)) s.type = Scalar.QUOTE_DOUBLE;
    return s;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return new Scalar(String(v));
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    for (const item of v) seq.items.push(toNode(item === undefined ? null : item));
    return seq;
  }
  if (typeof v === 'object' && v !== null) {
    const map = new YAMLMap();
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (val === undefined) continue;
      map.items.push(new Pair(toNode(k), toNode(val)));
    }
    return map;
  }
  throw new Error(`cannot write ${typeof v} to a kubeconfig`);
}

function newDocument(contents: unknown): Document {
  const doc = new Document(undefined, { schema: 'failsafe' });
  doc.contents = toNode(contents) as Document['contents'];
  return doc;
}

/** Serialises a kubeconfig as YAML that kubectl reads back with the same types. */
export function kubeconfigToYAML(cfg: Kubeconfig): string {
  return newDocument(cfg).toString(WRITE_OPTIONS);
}

/** Writes cfg to path (replacing any file there) atomically with mode 0600, creating parent dirs. */
export async function writeKubeconfig(path: string, cfg: Kubeconfig): Promise<void> {
  const text = kubeconfigToYAML(cfg);
  await withLockFile(path, () => writeFileAtomic(path, text, { mode: 0o600, dirMode: 0o755 }));
}

// ---- merge ---------------------------------------------------------------

export interface MergeOptions {
  /** Point current-context at the merged context; default true (as kind does). */
  setCurrent?: boolean;
}

/** A null, ~ or empty scalar: what kubectl writes for an empty list ("clusters: null"). */
function isNullScalar(n: unknown): boolean {
  return n === undefined || n === null || (isScalar(n) && (n.value === null || ['', '~', 'null', 'Null', 'NULL'].includes(String(n.value))));
}

/** Replaces the entry named name in the list at key (or appends it), leaving other entries untouched. */
function upsertNamed(root: YAMLMap, key: string, name: string, entry: Record<string, unknown>): void {
  let seq: unknown = root.get(key, true);
  if (isNullScalar(seq)) {
    seq = new YAMLSeq();
    root.set(toNode(key), seq);
  }
  if (!isSeq(seq)) throw new Error(`kubeconfig field "${key}" is not a list`);
  seq.flow = false;
  const node = toNode(entry);
  const i = seq.items.findIndex((item) => isMap(item) && String(item.get('name')) === name);
  if (i >= 0) seq.items[i] = node;
  else seq.items.push(node);
}

/**
 * Merges entry into kubeconfig text (undefined or empty for none) and returns
 * the new text. Pure: the file-level mergeKubeconfig wraps it.
 */
export function mergeKubeconfigText(existing: string | undefined, entry: KubeconfigEntry, opts: MergeOptions = {}): string {
  if (entry.name === '') throw new Error('kubeconfig entry name must not be empty');
  const doc = existing === undefined ? new Document(undefined, { schema: 'failsafe' }) : YAML.parseDocument(existing, { schema: 'failsafe' });
  if (doc.errors.length > 0) throw new Error(`existing kubeconfig is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (isNullScalar(doc.contents)) doc.contents = new YAMLMap() as Document['contents'];
  const root = doc.contents;
  if (!isMap(root)) throw new Error('existing kubeconfig is not a YAML mapping');

  // kind adds apiVersion/kind for clients (notably the JavaScript one) that require them.
  if (!root.has('apiVersion')) root.set(toNode('apiVersion'), toNode('v1'));
  if (!root.has('kind')) root.set(toNode('kind'), toNode('Config'));
  upsertNamed(root, 'clusters', entry.name, { cluster: entry.cluster, name: entry.name });
  upsertNamed(root, 'users', entry.name, { name: entry.name, user: entry.user });
  upsertNamed(root, 'contexts', entry.name, {
    context: entry.context ?? { cluster: entry.name, user: entry.name },
    name: entry.name,
  });
  if (opts.setCurrent ?? true) root.set(toNode('current-context'), toNode(entry.name));
  else if (!root.has('current-context')) root.set(toNode('current-context'), toNode(''));
  return doc.toString(WRITE_OPTIONS);
}

/**
 * Merges a named cluster/user/context into the kubeconfig at path, as kind does:
 * entries with the same name are replaced, all others (and unknown top-level
 * fields) are left untouched, the file and its directory are created when
 * missing, and current-context is set unless opts.setCurrent is false.
 * Returns the merged kubeconfig as kubectl will read it.
 */
export async function mergeKubeconfig(path: string, entry: KubeconfigEntry, opts: MergeOptions = {}): Promise<Kubeconfig> {
  return withLockFile(path, async () => {
    let existing: string | undefined;
    try {
      existing = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const text = mergeKubeconfigText(existing, entry, opts);
    await writeFileAtomic(path, text, { mode: 0o600, dirMode: 0o755 });
    return parseKubeconfig(text);
  });
}

// ---- where --------------------------------------------------------------

export interface KubeconfigPathOptions {
  /** --kubeconfig, when given: used as is. */
  explicit?: string;
  /** Environment; default process.env. */
  env?: Record<string, string | undefined>;
  /** Home directory; default os.homedir(). */
  home?: string;
}

/**
 * The file kubectl would write new entries to: --kubeconfig if given; else,
 * from the $KUBECONFIG list, the only entry, or the first that exists, or the
 * last; else ~/.kube/config.
 */
export function defaultKubeconfigPath(opts: KubeconfigPathOptions = {}): string {
  if (opts.explicit !== undefined && opts.explicit !== '') return opts.explicit;
  const env = opts.env ?? process.env;
  const list = [...new Set((env['KUBECONFIG'] ?? '').split(delimiter).filter((p) => p !== ''))];
  const last = list[list.length - 1];
  if (last === undefined) return join(opts.home ?? homedir(), '.kube', 'config');
  if (list.length === 1) return last;
  const existing = list.find((p) => existsSync(p) && !statSync(p).isDirectory());
  return existing ?? last;
}
