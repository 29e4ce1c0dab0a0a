/**
 * The authorization.k8s.io reviews: "may this user do this?" answered by the server's
 * own authorizer, without storing anything (upstream's SubjectAccessReview family).
 * `kubectl auth can-i` sends SelfSubjectAccessReviews, `kubectl auth can-i --list` a
 * SelfSubjectRulesReview; SubjectAccessReview and LocalSubjectAccessReview ask about
 * another user.
 */
import { errors, type FieldError } from '../../apimachinery/errors.js';
import type { UserInfo } from '../authn/authenticator.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { RequestInfo } from '../requestinfo.js';
import { readBody } from '../http/body.js';
import { writeJSON } from '../http/respond.js';
import { decodeObject, checkBodyMediaType } from './decode.js';
import { parseWriteOptions } from './options.js';
import type { ResourceRequest } from './resource.js';

type Obj = Record<string, any>;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The request an attributes block describes, in the authorizer's terms. */
function attributesToRequest(spec: Obj): RequestInfo {
  const ra = spec.resourceAttributes as Obj | undefined;
  if (ra !== undefined && ra !== null) {
    return {
      isResourceRequest: true,
      path: '',
      verb: str(ra.verb),
      apiPrefix: str(ra.group) === '' ? 'api' : 'apis',
      group: str(ra.group),
      version: str(ra.version),
      namespace: str(ra.namespace),
      resource: str(ra.resource),
      subresource: str(ra.subresource),
      name: str(ra.name),
      parts: [],
    };
  }
  const nra = (spec.nonResourceAttributes ?? {}) as Obj;
  return { isResourceRequest: false, path: str(nra.path), verb: str(nra.verb), apiPrefix: '', group: '', version: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
}

/** upstream's ValidateSubjectAccessReviewSpec / ValidateSelfSubjectAccessReviewSpec. */
function specErrors(spec: Obj, self: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const hasRA = spec.resourceAttributes !== undefined && spec.resourceAttributes !== null;
  const hasNRA = spec.nonResourceAttributes !== undefined && spec.nonResourceAttributes !== null;
  if (hasRA && hasNRA) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: spec.nonResourceAttributes, detail: 'cannot be specified in combination with resourceAttributes' });
  }
  if (!hasRA && !hasNRA) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', value: null, detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' });
  }
  if (!self && str(spec.user) === '' && (!Array.isArray(spec.groups) || spec.groups.length === 0)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.user', value: str(spec.user), detail: 'at least one of user or group must be specified' });
  }
  return errs;
}

async function readReview(r: ResourceRequest): Promise<{ obj: Obj; dryRun: boolean }> {
  checkBodyMediaType(r.req.headers['content-type']);
  const body = await readBody(r.req);
  const { dryRun } = parseWriteOptions('CreateOptions', r.query);
  const obj = decodeObject(r.req.headers['content-type'], body, r.resource) as Obj;
  return { obj, dryRun };
}

function reply(r: ResourceRequest, obj: Obj, status: Obj): void {
  const { group, version, kind } = r.resource;
  const out: Obj = { kind, apiVersion: `${group}/${version}`, metadata: { ...(obj.metadata ?? {}), creationTimestamp: null }, spec: obj.spec ?? {}, status };
  writeJSON(r.res, 201, out);
}

/** SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview. */
export async function accessReview(r: ResourceRequest, authorizer: Authorizer): Promise<void> {
  const { obj } = await readReview(r);
  const kind = r.resource.kind;
  const self = kind === 'SelfSubjectAccessReview';
  const spec = (obj.spec ?? {}) as Obj;
  const errs = specErrors(spec, self);
  if (kind === 'LocalSubjectAccessReview') {
    const ns = str((spec.resourceAttributes as Obj | undefined)?.namespace);
    if (spec.nonResourceAttributes !== undefined && spec.nonResourceAttributes !== null) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: spec.nonResourceAttributes, detail: 'disallowed on this kind of request' });
    }
    if (ns !== r.info.namespace) {
      throw errors.badRequest(`spec.resourceAttributes.namespace must match metadata.namespace: "${r.info.namespace}"`);
    }
  }
  if (errs.length > 0) throw errors.invalid('authorization.k8s.io', kind, '', errs);
  const user: UserInfo = self
    ? r.user
    : { name: str(spec.user), groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [], ...(typeof spec.uid === 'string' ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
  const decision = await authorizer.authorize(user, attributesToRequest(spec));
  const status: Obj = { allowed: decision.allowed };
  if (!decision.allowed && decision.reason !== '') status.reason = decision.reason;
  reply(r, obj, status);
}

/**
 * SelfSubjectRulesReview: what the caller may do in a namespace. Authorizers that cannot
 * list rules (kubelite's allow-authenticated one can) answer incomplete.
 */
export async function rulesReview(r: ResourceRequest, authorizer: Authorizer): Promise<void> {
  const { obj } = await readReview(r);
  const spec = (obj.spec ?? {}) as Obj;
  if (str(spec.namespace) === '') {
    throw errors.invalid('authorization.k8s.io', 'SelfSubjectRulesReview', '', [{ type: 'FieldValueRequired', field: 'spec.namespace', detail: '' }]);
  }
  const all = await authorizer.authorize(r.user, attributesToRequest({ resourceAttributes: { verb: '*', group: '*', resource: '*', namespace: spec.namespace } }));
  const status: Obj = all.allowed
    ? {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      }
    : { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'the authorizer does not list rules' };
  reply(r, obj, status);
}
