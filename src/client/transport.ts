/**
 * Transports move one request to the API server and its answer back. The REST client
 * speaks to a Transport only, so the same client (and everything built on it:
 * reflectors, informers, controllers) runs over HTTPS between machines or, later,
 * in-process inside `kubelite up` without a socket.
 *
 * Contract for implementations:
 *   - request(): resolves with any HTTP answer, 2xx or not (status + body); it rejects
 *     only with a TransportError, when no answer arrived (refused, reset, TLS, timeout).
 *   - stream(): resolves once the answer's status and headers are in; the body is then
 *     read chunk by chunk (a watch). Chunk boundaries carry no meaning. The body's
 *     iteration ends quietly after close() or the end of the answer, and throws a
 *     TransportError when the connection broke before the answer ended.
 *   - close(): drops pooled connections; requests in flight may fail.
 */
import http from 'node:http';
import https from 'node:https';
import { TransportError, type TransportErrorCode } from './errors.js';

export type HTTPMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  method: HTTPMethod;
  /** Absolute path without query, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: Buffer;
  /**
   * request(): limit for the whole exchange. stream(): limit until the status and
   * headers arrive. Default: the transport's own.
   */
  timeoutMs?: number;
  /** stream() only: the body is closed (its iteration ends) after this long. Default: never. */
  streamTimeoutMs?: number;
  /** Aborting rejects a pending request with TransportError EABORTED, or closes a stream. */
  signal?: AbortSignal;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface TransportResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

export interface TransportStream {
  status: number;
  headers: ResponseHeaders;
  body: AsyncIterable<Buffer>;
  /** Ends the stream; idempotent. */
  close(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: TransportRequest): Promise<TransportStream>;
  close(): void;
}

export interface HttpsTransportOptions {
  /** API server URL, e.g. https://127.0.0.1:6443 (a path prefix is kept). http: is allowed for tests. */
  server: string;
  /** PEM of the CA to trust for the server certificate (default: Node's root store). */
  ca?: string | Buffer;
  /** PEM client certificate and key. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Bearer token, sent as Authorization: Bearer <token>. */
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** Server name to verify the certificate against (SNI), instead of the URL's host. */
  tlsServerName?: string;
  userAgent?: string;
  /** Limit of one request without its own timeoutMs (default 30 s). */
  timeoutMs?: number;
  /** Idle keep-alive connections kept per host (default 25, client-go's MaxIdleConnsPerHost). */
  maxFreeSockets?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = 'kubelite-client/0.1.0 (node)';

function transportCode(err: unknown): TransportErrorCode {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ECONNREFUSED') return 'ECONNREFUSED';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'ECONNRESET';
  if (code === 'ETIMEDOUT') return 'ETIMEDOUT';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|HOSTNAME_MISMATCH)/.test(code)) return 'ETLS';
  return 'EOTHER';
}

function toTransportError(err: unknown, what: string): TransportError {
  if (err instanceof TransportError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new TransportError(transportCode(err), `${what}: ${msg}`, err);
}

/** HTTP/1.1 over TLS with a keep-alive connection pool, client certificates or a bearer token. */
export class HttpsTransport implements Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly tlsServerName: string | undefined;

  constructor(opts: HttpsTransportOptions) {
    if (typeof opts.server !== 'string' || opts.server === '') throw new Error('HttpsTransportOptions.server is required');
    let url: URL;
    try {
      url = new URL(opts.server);
    } catch {
      throw new Error(`server "${opts.server}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`server "${opts.server}" must be https (or http)`);
    if ((opts.cert === undefined) !== (opts.key === undefined)) throw new Error('a client certificate needs its key, and a key its certificate');
    const timeoutMs = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be positive, got ${timeoutMs}`);
    this.base = url;
    this.timeoutMs = timeoutMs;
    this.tlsServerName = opts.tlsServerName;
    this.headers = { 'User-Agent': opts.userAgent ?? DEFAULT_USER_AGENT };
    if (opts.token !== undefined && opts.token !== '') this.headers['Authorization'] = `Bearer ${opts.token}`;
    const agentOpts = { keepAlive: true, maxFreeSockets: opts.maxFreeSockets ?? 25, scheduling: 'lifo' as const };
    if (url.protocol === 'https:') {
      this.mod = https;
      this.agent = new https.Agent({
        ...agentOpts,
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
        ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
        ...(opts.key !== undefined ? { key: opts.key } : {}),
        ...(opts.tlsServerName !== undefined ? { servername: opts.tlsServerName } : {}),
        rejectUnauthorized: opts.insecureSkipTLSVerify !== true,
        minVersion: 'TLSv1.2',
      });
    } else {
      this.mod = http;
      this.agent = new http.Agent(agentOpts);
    }
  }

  /** The server URL this transport talks to. */
  get server(): string {
    return this.base.toString();
  }

  private start(req: TransportRequest): {
    creq: http.ClientRequest;
    response: Promise<http.IncomingMessage>;
    fail: (e: TransportError) => void;
    failure: () => TransportError | undefined;
  } {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const query = req.query !== undefined && [...req.query.keys()].length > 0 ? `?${req.query.toString()}` : '';
    const headers: Record<string, string> = { ...this.headers, Accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(req.body.length);
    const creq = this.mod.request({
      protocol: this.base.protocol,
      hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port === '' ? undefined : Number(this.base.port),
      method: req.method,
      path: `${prefix}${req.path}${query}`,
      headers,
      agent: this.agent,
      ...(this.tlsServerName !== undefined ? { servername: this.tlsServerName } : {}),
    });
    let failed: TransportError | undefined;
    const fail = (e: TransportError): void => {
      if (failed !== undefined) return;
      failed = e;
      creq.destroy(e);
    };
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      creq.once('response', resolve);
      creq.once('error', (err) => reject(failed ?? toTransportError(err, `${req.method} ${req.path}`)));
    });
    creq.end(req.body);
    return { creq, response, fail, failure: () => failed };
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    if (req.signal?.aborted === true) throw new TransportError('EABORTED', `${req.method} ${req.path}: aborted`);
    const { response, fail, failure } = this.start(req);
    const ms = req.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => fail(new TransportError('ETIMEDOUT', `${req.method} ${req.path}: timed out after ${ms} ms`)), ms);
    const onAbort = (): void => fail(new TransportError('EABORTED', `${req.method} ${req.path}: aborted`));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await response;
      const chunks: Buffer[] = [];
      try {
        for await (const c of res) chunks.push(c as Buffer);
      } catch (err) {
        throw failure() ?? toTransportError(err, `${req.method} ${req.path}`);
      }
      const f = failure();
      if (f !== undefined) throw f;
      if (!res.complete) throw new TransportError('ECONNRESET', `${req.method} ${req.path}: connection closed before the response ended`);
      return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  async stream(req: TransportRequest): Promise<TransportStream> {
    if (req.signal?.aborted === true) throw new TransportError('EABORTED', `${req.method} ${req.path}: aborted`);
    const { creq, response, fail } = this.start(req);
    const ms = req.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => fail(new TransportError('ETIMEDOUT', `${req.method} ${req.path}: no response after ${ms} ms`)), ms);
    const onEarlyAbort = (): void => fail(new TransportError('EABORTED', `${req.method} ${req.path}: aborted`));
    req.signal?.addEventListener('abort', onEarlyAbort, { once: true });
    let res: http.IncomingMessage;
    try {
      res = await response;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onEarlyAbort);
    }
    let closed = false;
    let lifetime: NodeJS.Timeout | undefined;
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (lifetime !== undefined) clearTimeout(lifetime);
      req.signal?.removeEventListener('abort', close);
      res.destroy();
      creq.destroy();
    };
    if (req.streamTimeoutMs !== undefined) {
      lifetime = setTimeout(close, req.streamTimeoutMs);
      lifetime.unref();
    }
    req.signal?.addEventListener('abort', close, { once: true });
    const what = `${req.method} ${req.path}`;
    async function* body(): AsyncGenerator<Buffer> {
      try {
        for await (const c of res) {
          if (closed) return;
          yield c as Buffer;
        }
      } catch (err) {
        if (closed) return;
        throw toTransportError(err, what);
      } finally {
        if (lifetime !== undefined) clearTimeout(lifetime);
      }
      if (!closed && !res.complete) throw new TransportError('ECONNRESET', `${what}: connection closed before the response ended`);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, body: body(), close };
  }

  close(): void {
    this.agent.destroy();
  }
}
