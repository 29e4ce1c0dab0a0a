/**
 * Test support only (imported by *.test.ts, never by the client itself): a real
 * in-process API server over HTTPS, memory store, certificates from loadOrCreatePKI
 * in a temp dir, and clients that authenticate as the admin (system:masters).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { APIServer, type APIServerOptions } from '../apiserver/server.js';
import { openStore } from '../storage/index.js';
import { loadOrCreatePKI, type PKI } from '../pki/index.js';
import type { Store } from '../storage/interface.js';
import { RestClient, type RestClientOptions } from './rest.js';

export interface TestEnv {
  server: APIServer;
  store: Store;
  pki: PKI;
  url: string;
  dir: string;
  /** Bearer token the server accepts (user "token-user", groups system:masters). */
  token: string;
  /** A client authenticated with the admin certificate. */
  client(extra?: Partial<RestClientOptions>): RestClient;
  /** Writes a kubeconfig for the admin into the temp dir; returns its path. */
  writeKubeconfig(namespace?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestEnv(opts: Partial<Omit<APIServerOptions, 'store' | 'tls'>> = {}): Promise<TestEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'kubelite-client-'));
  const pki = await loadOrCreatePKI({ dir, hostname: '' });
  const store = await openStore({ driver: 'memory', compactionIntervalMs: 0 });
  const token = 'test-token-0123456789';
  const server = new APIServer({
    bookmarkIntervalMs: 60_000,
    ...opts,
    store,
    port: 0,
    host: '127.0.0.1',
    tls: { cert: pki.apiserver.certPEM, key: pki.apiserver.keyPEM, ca: pki.ca.certPEM },
    extraAuthenticators: [
      {
        authenticate: (req: IncomingMessage) =>
          req.headers.authorization === `Bearer ${token}` ? { name: 'token-user', groups: ['system:masters', 'system:authenticated'] } : undefined,
      },
      ...(opts.extraAuthenticators ?? []),
    ],
  });
  const port = await server.listen();
  const url = `https://127.0.0.1:${port}`;
  const clients: RestClient[] = [];
  const admin = new RestClient({ server: url, ca: pki.ca.certPEM, cert: pki.admin.certPEM, key: pki.admin.keyPEM });
  clients.push(admin);
  await admin.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'default' } });
  return {
    server,
    store,
    pki,
    url,
    dir,
    token,
    client(extra = {}) {
      const c = new RestClient({ server: url, ca: pki.ca.certPEM, cert: pki.admin.certPEM, key: pki.admin.keyPEM, timeoutMs: 5_000, ...extra });
      clients.push(c);
      return c;
    },
    async writeKubeconfig(namespace) {
      const b64 = (s: string): string => Buffer.from(s).toString('base64');
      const path = join(dir, 'kubeconfig');
      const text = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: kubelite',
        '  cluster:',
        `    server: ${url}`,
        `    certificate-authority-data: ${b64(pki.ca.certPEM)}`,
        'users:',
        '- name: admin',
        '  user:',
        `    client-certificate-data: ${b64(pki.admin.certPEM)}`,
        `    client-key-data: ${b64(pki.admin.keyPEM)}`,
        '- name: tok',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: kubelite',
        '  context:',
        '    cluster: kubelite',
        '    user: admin',
        ...(namespace !== undefined ? [`    namespace: ${namespace}`] : []),
        '- name: with-token',
        '  context:',
        '    cluster: kubelite',
        '    user: tok',
        'current-context: kubelite',
        '',
      ].join('\n');
      await writeFile(path, text, { mode: 0o600 });
      return path;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls cond (real time, short waits) until it holds; throws after timeoutMs. */
export async function eventually(cond: () => boolean | Promise<boolean>, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending promise callbacks run (a few macrotask turns). */
export async function flush(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
