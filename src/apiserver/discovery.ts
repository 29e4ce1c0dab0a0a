/**
 * Serves the discovery documents built by api/discovery.ts: picks legacy or
 * aggregated by Accept header, and caches each body since the resource table does
 * not change while the server runs.
 */
import { errors } from '../apimachinery/errors.js';
import type { ResourceInfo } from '../api/types.js';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  negotiateDiscovery,
} from '../api/discovery.js';
import { groupVersions } from '../api/resources.js';

export interface DiscoveryAnswer {
  body: unknown;
  contentType?: string;
}

export class Discovery {
  private readonly cache = new Map<string, unknown>();
  constructor(private readonly resources: readonly ResourceInfo[]) {}

  private cached(key: string, make: () => unknown): unknown {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }

  /** The paths `GET /` lists, as upstream's root handler. */
  rootPaths(): string[] {
    const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/metrics', '/openapi/v2', '/openapi/v3', '/version'];
    const groups = new Set<string>();
    for (const gv of groupVersions()) {
      if (gv.group === '') continue;
      groups.add(`/apis/${gv.group}`);
      paths.push(`/apis/${gv.group}/${gv.version}`);
    }
    paths.push(...groups);
    return paths.sort();
  }

  /** undefined: not a discovery path this server has (404). */
  serve(path: string, accept: string | undefined, serverAddress = '127.0.0.1:6443'): DiscoveryAnswer | undefined {
    const opts = { resources: this.resources };
    if (path === '/api' || path === '/apis') {
      const format = negotiateDiscovery(accept);
      if (format === undefined) throw errors.notAcceptable('only the following media types are accepted: application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      const scope = path === '/api' ? 'api' : 'apis';
      if (format === 'legacy') {
        return { body: scope === 'api' ? apiVersions(serverAddress) : this.cached('apis', () => apiGroupList(opts)) };
      }
      return { body: this.cached(`${scope}/${format}`, () => aggregatedDiscovery(scope, format, opts)), contentType: AGGREGATED_CONTENT_TYPE[format] };
    }
    const segs = path.split('/').filter((s) => s !== '');
    if (segs[0] === 'api' && segs.length === 2) {
      const body = this.cached(`api/${segs[1]}`, () => apiResourceList('', segs[1]!, opts) ?? null);
      return body === null ? undefined : { body };
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const body = this.cached(`apis/${segs[1]}`, () => apiGroup(segs[1]!, opts) ?? null);
      return body === null ? undefined : { body };
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const body = this.cached(`apis/${segs[1]}/${segs[2]}`, () => apiResourceList(segs[1]!, segs[2]!, opts) ?? null);
      return body === null ? undefined : { body };
    }
    return undefined;
  }
}
