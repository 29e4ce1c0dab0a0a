/**
 * Watch streaming: newline-delimited JSON watch events over a chunked response, as
 * upstream serves `?watch=true` to JSON clients. Supports resuming from a
 * resourceVersion, initial ADDED events for "from now" watches, bookmarks, timeouts,
 * Table rendering for `kubectl get -w`, and an ERROR event with 410 Expired when the
 * requested revision has been compacted away.
 */
import { errors, StatusError } from '../../apimachinery/errors.js';
import type { Registry, Filter, WatchEventKind } from '../registry/store.js';
import { parseResourceVersion } from '../../apimachinery/meta.js';
import type { KObject } from '../registry/strategy.js';
import { negotiate } from '../http/negotiate.js';
import { toTable, parseIncludeObject, partialMetadata } from '../table.js';
import { isTrue } from '../requestinfo.js';
import type { HandlerContext, ResourceRequest } from './resource.js';
import { apiVersionOf } from './resource.js';
import type { Watcher } from '../../storage/interface.js';

export interface WatchConfig {
  /** How often a bookmark is sent to clients that allow them. Upstream: about a minute. */
  bookmarkIntervalMs: number;
  /** Upper bound of a watch without timeoutSeconds (upstream: min-request-timeout 1800 s, randomised up to 2x). */
  defaultTimeoutSeconds: number;
  /** Called when a watch starts and ends (metrics). */
  onOpen?(resource: string): void;
  onClose?(resource: string): void;
}

export async function serveWatch(ctx: HandlerContext, r: ResourceRequest, registry: Registry, filter: Filter | undefined): Promise<void> {
  const { req, res, query } = r;
  const rendering = negotiate(req.headers.accept, { table: true, partial: true, list: false });
  if (rendering === undefined || (rendering.kind === 'object' && rendering.format !== 'json')) {
    throw errors.notAcceptable('only the following media types are accepted for watch: application/json, application/json;as=Table;v=v1;g=meta.k8s.io');
  }
  const includeObject = rendering.kind === 'table' ? parseIncludeObject(query.get('includeObject')) : 'Metadata';
  const rvParam = query.get('resourceVersion') ?? '';
  const sendInitialParam = query.get('sendInitialEvents');
  const bookmarks = isTrue(query.get('allowWatchBookmarks'));
  const timeoutParam = query.get('timeoutSeconds');
  let timeoutSeconds = ctx.watch.defaultTimeoutSeconds * (1 + Math.random());
  if (timeoutParam !== null && timeoutParam !== '') {
    if (!/^[0-9]+$/.test(timeoutParam)) throw errors.badRequest(`unable to parse "timeoutSeconds": strconv.ParseInt: parsing "${timeoutParam}": invalid syntax`);
    // 0 means "no timeout of mine": the server's default applies (upstream).
    if (Number(timeoutParam) > 0) timeoutSeconds = Number(timeoutParam);
  }
  if (sendInitialParam !== null && sendInitialParam !== '') {
    if (query.get('resourceVersionMatch') !== 'NotOlderThan') {
      throw errors.invalid('meta.k8s.io', 'ListOptions', '', [
        { type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' },
      ]);
    }
    if (!bookmarks && isTrue(sendInitialParam)) {
      throw errors.invalid('meta.k8s.io', 'ListOptions', '', [
        { type: 'FieldValueForbidden', field: 'allowWatchBookmarks', detail: 'sendInitialEvents requires setting allowWatchBookmarks to true' },
      ]);
    }
  } else if ((query.get('resourceVersionMatch') ?? '') !== '') {
    throw errors.invalid('meta.k8s.io', 'ListOptions', '', [
      { type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' },
    ]);
  }
  // Upstream: no resourceVersion or "0" starts with synthetic ADDED events for current state.
  const sendInitial = sendInitialParam !== null && sendInitialParam !== '' ? isTrue(sendInitialParam) : rvParam === '' || rvParam === '0';
  let initial: KObject[] = [];
  let startRev: number;
  if (sendInitial) {
    const listed = await registry.list({ namespace: r.info.namespace, ...(filter ? { filter } : {}) });
    initial = listed.items;
    startRev = Number(listed.resourceVersion);
    if (rvParam !== '' && rvParam !== '0') startRev = Math.max(startRev, parseResourceVersion(rvParam));
  } else if (rvParam === '' || rvParam === '0') {
    // sendInitialEvents=false: from now on, nothing synthetic.
    startRev = Number(await registry.currentRevision());
  } else {
    startRev = parseResourceVersion(rvParam);
  }

  const version = rendering.kind === 'table' || rendering.kind === 'partial' ? rendering.version : 'v1';
  const encodeObject = (obj: KObject): KObject => {
    obj.apiVersion = apiVersionOf(r.resource);
    obj.kind = r.resource.kind;
    if (rendering.kind === 'table') {
      return toTable(r.resource, [obj], { resourceVersion: obj.metadata?.resourceVersion }, { version, includeObject, now: ctx.clock.now() });
    }
    if (rendering.kind === 'partial') return partialMetadata(obj, version);
    return obj;
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let closed = false;
  let lastRev = startRev;
  const held: { watcher?: Watcher } = {};
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (closed) return;
    closed = true;
    held.watcher?.stop();
    for (const t of timers) clearTimeout(t);
    ctx.watch.onClose?.(r.resource.resource);
    res.end();
  };
  ctx.watch.onOpen?.(r.resource.resource);
  const send = (type: WatchEventKind | 'BOOKMARK' | 'ERROR', object: unknown): void => {
    if (closed) return;
    res.write(JSON.stringify({ type, object }) + '\n');
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const meta: Record<string, unknown> = { resourceVersion: String(lastRev) };
    if (annotations) meta.annotations = annotations;
    send('BOOKMARK', { kind: r.resource.kind, apiVersion: apiVersionOf(r.resource), metadata: meta });
  };
  req.on('close', finish);
  res.on('close', finish);

  for (const obj of initial) send('ADDED', encodeObject(obj));
  if (sendInitialParam !== null && isTrue(sendInitialParam) && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });

  const watcher = registry.watch(
    { namespace: r.info.namespace, ...(filter ? { filter } : {}), afterRevision: startRev },
    {
      onEvent: (type, obj, revision) => {
        lastRev = revision;
        send(type, encodeObject(obj));
      },
      onProgress: (revision) => {
        if (revision > lastRev) lastRev = revision;
      },
      onError: (err: StatusError) => {
        send('ERROR', err.toStatus());
        finish();
      },
    },
  );
  held.watcher = watcher;
  if (closed) watcher.stop();
  timers.push(setTimeout(finish, timeoutSeconds * 1000));
  if (bookmarks) {
    const tick = (): void => {
      if (closed) return;
      bookmark();
      timers.push(setTimeout(tick, ctx.watch.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, ctx.watch.bookmarkIntervalMs));
  }
}
