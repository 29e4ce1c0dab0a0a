/**
 * The API server: HTTPS in front of the registries. A request goes
 * authentication -> authorization -> routing (discovery, OpenAPI, health, metrics,
 * or a resource) -> admission -> registry -> storage, and every failure on the way
 * becomes a metav1.Status.
 */
import https from 'node:https';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errors, StatusError } from '../apimachinery/errors.js';
import type { ResourceInfo } from '../api/types.js';
import { RESOURCES, findResource } from '../api/resources.js';
import type { Store } from '../storage/interface.js';
import type { Clock } from '../util/clock.js';
import { realClock } from '../util/clock.js';
import { parseRequestInfo, type RequestInfo } from './requestinfo.js';
import { ANONYMOUS, ClientCertAuthenticator, UnionAuthenticator, type Authenticator, type UserInfo } from './authn/authenticator.js';
import { AllowAuthenticatedAuthorizer, forbiddenMessage, type Authorizer } from './authz/authorizer.js';
import { AdmissionChain, type AdmissionPlugin } from './admission/admission.js';
import { NamespaceLifecycle } from './admission/namespacelifecycle.js';
import { Registry } from './registry/store.js';
import type { KObject } from './registry/strategy.js';
import { strategyFor } from './registry/strategies/index.js';
import { validateMetaFor } from './registry/validatemeta.js';
import { handleResource, type HandlerContext } from './handlers/resource.js';
import { methodNotAllowed } from './handlers/options.js';
import { writeError, writeJSON, writeText } from './http/respond.js';
import { runHealth, type HealthCheck } from './health.js';
import { APIMetrics, metricVerb } from './metrics.js';
import { Discovery } from './discovery.js';
import { OpenAPIService } from './openapi/openapi.js';
import { versionInfo } from './version.js';

export interface APIServerOptions {
  store: Store;
  /** PEM. When absent the server speaks plain HTTP (tests of the handler only). */
  tls?: { cert: string; key: string; ca: string };
  host?: string;
  port?: number;
  clock?: Clock;
  admissionPlugins?: AdmissionPlugin[];
  extraAuthenticators?: Authenticator[];
  authorizer?: Authorizer;
  bookmarkIntervalMs?: number;
  minRequestTimeoutSeconds?: number;
  /** Extra health checks beside ping and the store. */
  healthChecks?: HealthCheck[];
  openapiDefinitionsPath?: string;
  /**
   * Health of the components `kubectl get componentstatuses` reports beside the store
   * (upstream: scheduler and controller-manager). Absent components report unhealthy.
   */
  components?: ComponentHealth[];
}

export interface ComponentHealth {
  name: string;
  check(): Promise<{ healthy: boolean; message: string }> | { healthy: boolean; message: string };
}

interface ResolvedOptions extends Required<Omit<APIServerOptions, 'tls' | 'authorizer' | 'openapiDefinitionsPath' | 'components'>> {
  components: ComponentHealth[];
  tls: APIServerOptions['tls'];
  authorizer: Authorizer;
  openapiDefinitionsPath: string | undefined;
}

function resolve(o: APIServerOptions): ResolvedOptions {
  if (o.store === undefined) throw new Error('APIServerOptions.store is required');
  const port = o.port ?? 6443;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  return {
    store: o.store,
    tls: o.tls,
    host: o.host ?? '127.0.0.1',
    port,
    clock: o.clock ?? realClock,
    admissionPlugins: o.admissionPlugins ?? [],
    extraAuthenticators: o.extraAuthenticators ?? [],
    authorizer: o.authorizer ?? new AllowAuthenticatedAuthorizer(),
    bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
    minRequestTimeoutSeconds: o.minRequestTimeoutSeconds ?? 1800,
    healthChecks: o.healthChecks ?? [],
    openapiDefinitionsPath: o.openapiDefinitionsPath,
    components: o.components ?? [],
  };
}

const NOT_FOUND = (): StatusError =>
  new StatusError(404, 'NotFound', 'the server could not find the requested resource', {
    causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
  });

export class APIServer {
  private readonly opts: ResolvedOptions;
  private readonly registries = new Map<string, Registry>();
  private readonly authn: Authenticator;
  private readonly admission: AdmissionChain;
  private readonly handlerCtx: HandlerContext;
  private readonly discovery: Discovery;
  private readonly openapi: OpenAPIService;
  readonly metrics = new APIMetrics();
  private server: https.Server | http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private ready = false;

  constructor(options: APIServerOptions) {
    this.opts = resolve(options);
    this.authn = new UnionAuthenticator([new ClientCertAuthenticator(), ...this.opts.extraAuthenticators]);
    const nsLifecycle = new NamespaceLifecycle({
      getNamespace: async (name) => {
        try {
          return await this.registry('', 'v1', 'namespaces').get('', name);
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) return undefined;
          throw e;
        }
      },
    });
    this.admission = new AdmissionChain([nsLifecycle, ...this.opts.admissionPlugins]);
    this.handlerCtx = {
      clock: this.opts.clock,
      registryFor: (info) => this.registryFor(info),
      admission: this.admission,
      componentStatuses: () => this.componentStatuses(),
      authorizer: this.opts.authorizer,
      watch: {
        bookmarkIntervalMs: this.opts.bookmarkIntervalMs,
        defaultTimeoutSeconds: this.opts.minRequestTimeoutSeconds,
        onOpen: (res) => this.metrics.longRunning.inc({ verb: 'WATCH', resource: res }),
        onClose: (res) => this.metrics.longRunning.dec({ verb: 'WATCH', resource: res }),
      },
    };
    this.discovery = new Discovery(RESOURCES);
    this.openapi = new OpenAPIService({ resources: RESOURCES, ...(this.opts.openapiDefinitionsPath ? { definitionsPath: this.opts.openapiDefinitionsPath } : {}) });
  }

  /** The registry for one served resource; created on first use. */
  registryFor(info: ResourceInfo): Registry {
    const key = `${info.group}/${info.version}/${info.resource}`;
    let r = this.registries.get(key);
    if (r === undefined) {
      r = new Registry({ store: this.opts.store, info, strategy: strategyFor(info), clock: this.opts.clock, validateMeta: validateMetaFor });
      this.registries.set(key, r);
    }
    return r;
  }

  registry(group: string, version: string, resource: string): Registry {
    const info = findResource(group, version, resource);
    if (info === undefined) throw new Error(`unknown resource ${group}/${version}/${resource}`);
    return this.registryFor(info);
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void this.handle(req, res);
    };
    if (this.opts.tls) {
      this.server = https.createServer(
        {
          cert: this.opts.tls.cert,
          key: this.opts.tls.key,
          ca: this.opts.tls.ca,
          requestCert: true,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
          ALPNProtocols: ['http/1.1'],
        },
        handler,
      );
    } else {
      this.server = http.createServer(handler);
    }
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 0;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    const srv = this.server;
    await new Promise<void>((resolveListen, reject) => {
      srv.once('error', reject);
      srv.listen(this.opts.port, this.opts.host, () => {
        srv.off('error', reject);
        resolveListen();
      });
    });
    this.ready = true;
    return (srv.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.ready = false;
    const srv = this.server;
    if (srv === undefined) return;
    await new Promise<void>((r) => {
      srv.close(() => r());
      // Watches are long-running: end their connections so close() does not wait 30 minutes.
      for (const s of this.sockets) s.destroy();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    let info: RequestInfo | undefined;
    let code = 200;
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const user = (await this.authn.authenticate(req)) ?? ANONYMOUS;
      const decision = await this.opts.authorizer.authorize(user, info);
      if (!decision.allowed) {
        throw new StatusError(403, 'Forbidden', forbiddenMessage(user, info), info.isResourceRequest ? { group: info.group, kind: info.resource, ...(info.name ? { name: info.name } : {}) } : undefined);
      }
      if (info.isResourceRequest) await this.serveResource(req, res, info, url.searchParams, user);
      else await this.serveNonResource(req, res, url);
      code = res.statusCode;
    } catch (e) {
      if (!(e instanceof StatusError)) console.error('kubelite apiserver: internal error:', e);
      code = writeError(res, e).code;
    } finally {
      if (info !== undefined) this.record(info, req.method ?? 'GET', code, started);
    }
  }

  private record(info: RequestInfo, method: string, code: number, started: number): void {
    const verb = metricVerb(info, method);
    if (verb === 'WATCH') return;
    const labels = {
      verb,
      group: info.group,
      version: info.version,
      resource: info.resource,
      subresource: info.subresource,
      scope: !info.isResourceRequest ? '' : info.name !== '' ? 'resource' : info.namespace !== '' ? 'namespace' : 'cluster',
    };
    this.metrics.requests.inc({ ...labels, code: String(code) });
    this.metrics.latency.observe(labels, (performance.now() - started) / 1000);
  }

  private async serveResource(req: http.IncomingMessage, res: http.ServerResponse, info: RequestInfo, query: URLSearchParams, user: UserInfo): Promise<void> {
    const resource = findResource(info.group, info.version, info.resource);
    if (resource === undefined) throw NOT_FOUND();
    if (resource.namespaced && info.namespace === '' && info.name !== '') throw NOT_FOUND();
    if (!resource.namespaced && info.namespace !== '') throw NOT_FOUND();
    // The all-namespaces path of a namespaced resource serves list and watch only (upstream: 405 from go-restful).
    if (resource.namespaced && info.namespace === '' && (info.verb === 'create' || info.verb === 'deletecollection')) throw methodNotAllowed();
    await handleResource(this.handlerCtx, { req, res, info, query, resource, user });
  }

  private async serveNonResource(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotSupported({ group: '', resource: path }, method);
    const health = /^\/(healthz|livez|readyz)(?:\/([^/]+))?$/.exec(path);
    if (health !== null) {
      const endpoint = health[1] as 'healthz' | 'livez' | 'readyz';
      const result = await runHealth(endpoint, this.healthChecks(endpoint), health[2] ?? '', url.searchParams);
      writeText(res, result.code, result.body);
      return;
    }
    if (path === '/version') {
      writeJSON(res, 200, versionInfo());
      return;
    }
    if (path === '/metrics') {
      writeText(res, 200, await this.metrics.text(), this.metrics.registry.contentType);
      return;
    }
    if (path === '/' ) {
      writeJSON(res, 200, { paths: this.discovery.rootPaths() });
      return;
    }
    if (path.startsWith('/openapi/')) return this.serveOpenAPI(req, res, url);
    if (path === '/api' || path === '/apis' || path.startsWith('/api/') || path.startsWith('/apis/')) {
      const out = this.discovery.serve(path, req.headers.accept, `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 0}`);
      if (out === undefined) throw NOT_FOUND();
      writeJSON(res, 200, out.body, 'json', out.contentType ? { 'Content-Type': out.contentType } : {});
      return;
    }
    throw NOT_FOUND();
  }

  private serveOpenAPI(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const out = this.openapi.serve({
      path: url.pathname,
      query: url.search,
      accept: req.headers.accept,
      ifNoneMatch: req.headers['if-none-match'],
    });
    if (out === undefined) throw NOT_FOUND();
    res.writeHead(out.status, { ...out.headers, 'Content-Length': String(out.body.length) });
    res.end(out.body);
  }

  /** Components can be registered after construction (they start after the server). */
  addComponent(c: ComponentHealth): void {
    this.opts.components.push(c);
  }

  private async componentStatuses(): Promise<KObject[]> {
    const out: KObject[] = [];
    const item = (name: string, healthy: boolean, message: string): KObject => ({
      kind: 'ComponentStatus',
      apiVersion: 'v1',
      metadata: { name },
      conditions: [healthy ? { type: 'Healthy', status: 'True', message } : { type: 'Healthy', status: 'False', message: '', error: message }],
    });
    for (const name of ['scheduler', 'controller-manager']) {
      const c = this.opts.components.find((x) => x.name === name);
      if (c === undefined) {
        out.push(item(name, false, `${name} is not running in this kubelite process`));
        continue;
      }
      try {
        const h = await c.check();
        out.push(item(name, h.healthy, h.message));
      } catch (e) {
        out.push(item(name, false, e instanceof Error ? e.message : String(e)));
      }
    }
    try {
      await this.opts.store.currentRevision();
      out.push(item('etcd-0', true, '{"health":"true","reason":""}'));
    } catch (e) {
      out.push(item('etcd-0', false, e instanceof Error ? e.message : String(e)));
    }
    return out;
  }

  private healthChecks(endpoint: string): HealthCheck[] {
    const checks: HealthCheck[] = [
      { name: 'ping', check: () => undefined },
      { name: 'log', check: () => undefined },
      {
        name: 'etcd',
        check: async () => {
          await this.opts.store.currentRevision();
        },
      },
      ...this.opts.healthChecks,
    ];
    if (endpoint === 'readyz') {
      checks.push({
        name: 'shutdown',
        check: () => {
          if (!this.ready) throw new Error('shutting down');
        },
      });
    }
    return checks;
  }
}
