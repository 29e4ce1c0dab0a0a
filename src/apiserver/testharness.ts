/**
 * In-process API server for the apiserver's own tests: a memory store, the cluster
 * bootstrap (system namespaces, the kubernetes Service), plain HTTP on a free loopback
 * port, and an authenticator that trusts a test header so requests are not anonymous.
 * Not a test itself (no .test suffix): the *.test.ts files beside it import it.
 */
import http from 'node:http';
import { APIServer, type APIServerOptions } from './server.js';
import { openStore, type OpenStoreOptions } from '../storage/index.js';
import type { Store } from '../storage/interface.js';
import { bootstrapCluster } from '../controlplane/bootstrap.js';
import type { Authenticator } from './authn/authenticator.js';

/** Requests carrying this header (its value is the user name) are authenticated. */
export const TEST_USER_HEADER = 'x-kubelite-test-user';

export const testAuthenticator: Authenticator = {
  authenticate(req) {
    const u = req.headers[TEST_USER_HEADER];
    if (typeof u !== 'string' || u === '') return undefined;
    return { name: u, groups: ['system:masters', 'system:authenticated'] };
  },
};

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** Send the request without the test user header (anonymous). */
  anonymous?: boolean;
}

export interface TestServer {
  server: APIServer;
  store: Store;
  port: number;
  request(method: string, path: string, opts?: RequestOptions): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  patch(path: string, body: unknown, contentType: string, headers?: Record<string, string>): Promise<Response>;
  del(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Opens a watch; events arrive parsed as they come. */
  watch(path: string, headers?: Record<string, string>): Promise<WatchStream>;
  /** The store's current revision as a client sees it: a list's resourceVersion. */
  revision(): Promise<string>;
  close(): Promise<void>;
}

export interface WatchEventJSON {
  type: string;
  object: any;
}

export interface WatchStream {
  status: number;
  events: WatchEventJSON[];
  /** Resolves when at least n events have arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<WatchEventJSON[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export interface StartOptions {
  server?: Omit<APIServerOptions, 'store' | 'port'>;
  store?: Partial<OpenStoreOptions>;
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

export async function startTestServer(o: StartOptions = {}): Promise<TestServer> {
  const store = await openStore({ driver: 'memory', compactionIntervalMs: 0, ...o.store } as OpenStoreOptions);
  const server = new APIServer({
    store,
    port: 0,
    ...o.server,
    extraAuthenticators: [testAuthenticator, ...(o.server?.extraAuthenticators ?? [])],
  });
  const port = await server.listen();
  await bootstrapCluster(server, { serviceIP: '10.96.0.1', endpointIP: '127.0.0.1', endpointPort: port });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const watches = new Set<http.ClientRequest>();

  const request = (method: string, path: string, opts: RequestOptions = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const body = encodeBody(opts.body);
      const headers: Record<string, string> = { ...(opts.anonymous ? {} : { [TEST_USER_HEADER]: 'admin' }) };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(body.length);
      }
      for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const watch = (path: string, headers: Record<string, string> = {}): Promise<WatchStream> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'GET', path, headers: { [TEST_USER_HEADER]: 'admin', ...headers } }, (res) => {
        const events: WatchEventJSON[] = [];
        const waiters: { n: number; resolve: (e: WatchEventJSON[]) => void }[] = [];
        let buf = '';
        let endResolve!: () => void;
        const ended = new Promise<void>((r) => (endResolve = r));
        const wake = (): void => {
          for (let i = waiters.length - 1; i >= 0; i--) {
            if (events.length >= waiters[i]!.n) {
              waiters[i]!.resolve(events.slice());
              waiters.splice(i, 1);
            }
          }
        };
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (line !== '') events.push(JSON.parse(line) as WatchEventJSON);
          }
          wake();
        });
        const done = (): void => {
          watches.delete(req);
          if (buf.trim() !== '' && res.statusCode === 200) {
            events.push(JSON.parse(buf) as WatchEventJSON);
            buf = '';
          }
          endResolve();
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
        resolve({
          status: res.statusCode ?? 0,
          events,
          ended,
          waitFor(n, timeoutMs = 3000) {
            if (events.length >= n) return Promise.resolve(events.slice());
            return new Promise((res2, rej2) => {
              const t = setTimeout(() => rej2(new Error(`timed out waiting for ${n} watch events; have ${JSON.stringify(events)}`)), timeoutMs);
              waiters.push({
                n,
                resolve: (e) => {
                  clearTimeout(t);
                  res2(e);
                },
              });
            });
          },
          close() {
            req.destroy();
            watches.delete(req);
          },
        });
      });
      watches.add(req);
      req.on('error', (e) => {
        if (!req.destroyed) reject(e);
      });
      req.end();
    });

  const ts: TestServer = {
    server,
    store,
    port,
    request,
    get: (path, headers) => request('GET', path, { ...(headers ? { headers } : {}) }),
    post: (path, body, headers) => request('POST', path, { body, ...(headers ? { headers } : {}) }),
    put: (path, body, headers) => request('PUT', path, { body, ...(headers ? { headers } : {}) }),
    patch: (path, body, contentType, headers) => request('PATCH', path, { body, headers: { 'content-type': contentType, ...headers } }),
    del: (path, body, headers) => request('DELETE', path, { ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) }),
    watch,
    async revision() {
      const r = await request('GET', '/api/v1/namespaces?limit=1');
      if (r.status !== 200) throw new Error(`list namespaces: ${r.status} ${r.text}`);
      return r.json.metadata.resourceVersion as string;
    },
    async close() {
      for (const w of watches) w.destroy();
      agent.destroy();
      await server.close();
      await store.close();
    },
  };
  return ts;
}

/** A minimal valid pod. */
export function pod(name: string, extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): Record<string, any> {
  const { metadata, ...rest } = extra as { metadata?: Record<string, unknown> };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...metadata },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
    ...rest,
  };
}

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Record<string, any> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

export function deployment(name: string, replicas = 1): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}
