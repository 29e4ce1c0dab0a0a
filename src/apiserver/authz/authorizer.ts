/**
 * Authorization: may this user do this verb on this thing. RBAC plugs in here in its
 * own issue; until then authenticated users may do everything and anonymous users
 * only read the public health and version endpoints (upstream's
 * system:public-info-viewer role grants exactly those).
 */
import type { UserInfo } from '../authn/authenticator.js';
import type { RequestInfo } from '../requestinfo.js';

export type Decision = { allowed: true } | { allowed: false; reason: string };

export interface Authorizer {
  authorize(user: UserInfo, req: RequestInfo): Promise<Decision> | Decision;
}

const publicPaths = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);

function isPublic(path: string): boolean {
  if (publicPaths.has(path)) return true;
  return /^\/(healthz|livez|readyz)\/[a-z0-9-]+$/.test(path);
}

export class AllowAuthenticatedAuthorizer implements Authorizer {
  authorize(user: UserInfo, req: RequestInfo): Decision {
    if (user.groups.includes('system:authenticated')) return { allowed: true };
    if (!req.isResourceRequest && req.verb === 'get' && isPublic(req.path)) return { allowed: true };
    return { allowed: false, reason: '' };
  }
}

/** Upstream's wording for a denied request, which kubectl prints verbatim. */
export function forbiddenMessage(user: UserInfo, req: RequestInfo): string {
  if (!req.isResourceRequest) return `forbidden: User "${user.name}" cannot ${req.verb} path "${req.path}"`;
  const res = req.subresource !== '' ? `${req.resource}/${req.subresource}` : req.resource;
  const what = req.name !== '' ? `${req.resource} "${req.name}"` : req.group === '' ? req.resource : `${req.resource}.${req.group}`;
  const scope = req.namespace !== '' ? ` in the namespace "${req.namespace}"` : ' at the cluster scope';
  return `${what} is forbidden: User "${user.name}" cannot ${req.verb} resource "${res}" in API group "${req.group}"${scope}`;
}
