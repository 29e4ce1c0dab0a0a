/**
 * Turns a request path and method into what authorization, admission and the
 * registry need to know: is it a resource request, and if so which verb on which
 * group/version/resource/namespace/name/subresource. Mirrors upstream's
 * RequestInfoFactory so RBAC rules later mean the same thing as upstream's.
 */

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Lower-case verb: get, list, watch, create, update, patch, delete, deletecollection (resource requests) or the HTTP method (non-resource). */
  verb: string;
  apiPrefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments after the version. */
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segs = path.split('/').filter((s, i) => i > 0 || s !== '');
  if (segs[0] === '') segs.shift();
  while (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
  let rest: string[];
  if (segs[0] === 'api') {
    info.apiPrefix = 'api';
    if (segs.length < 2) return info;
    info.version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    info.apiPrefix = 'apis';
    if (segs.length < 3) {
      if (segs.length === 2) info.group = segs[1]!;
      return info;
    }
    info.group = segs[1]!;
    info.version = segs[2]!;
    rest = segs.slice(3);
  } else {
    return info;
  }
  if (rest.length === 0) return info;
  info.isResourceRequest = true;
  const m = method.toUpperCase();
  switch (m) {
    case 'POST':
      info.verb = 'create';
      break;
    case 'GET':
    case 'HEAD':
      info.verb = 'get';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = 'delete';
      break;
    default:
      info.verb = '';
  }
  // Legacy watch paths: /api/v1/watch/namespaces/ns/pods
  if (rest[0] === 'watch') {
    rest = rest.slice(1);
    info.verb = 'watch';
  }
  if (rest[0] === 'namespaces') {
    if (rest.length > 1) {
      info.namespace = rest[1]!;
      if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
    }
  }
  info.parts = rest;
  info.resource = rest[0] ?? '';
  if (rest.length >= 2) info.name = rest[1]!;
  if (rest.length >= 3) info.subresource = rest[2]!;
  // namespaces/<name> is the namespace object itself
  if (info.resource === 'namespaces' && rest.length >= 2 && info.namespace === rest[1]) info.namespace = '';
  if (info.verb === 'get' && info.name === '') {
    info.verb = isTrue(query.get('watch')) ? 'watch' : 'list';
  } else if (info.verb === 'watch' && info.name !== '') {
    // watch of a single object: upstream lists with a name field selector
    info.verb = 'watch';
  }
  if (info.verb === 'delete' && info.name === '') info.verb = 'deletecollection';
  return info;
}

/**
 * A boolean query parameter as upstream's parameter codec reads it: absent, "0" and
 * "false" in any case are false, every other value (even empty) is true. Clients rely
 * on it: the Python client sends watch=True.
 */
export function isTrue(v: string | null): boolean {
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}
