/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and
 * MutatingWebhookConfiguration, as upstream's pkg/apis/admissionregistration/validation:
 * webhook names qualified and unique, rules, enums, side effects (None or NoneOnDryRun for
 * new objects), timeouts, selectors, exactly one of url/service, admission review versions.
 * On update the rules an existing object already broke (side effects, review versions,
 * duplicate names) are relaxed, as upstream does. matchConditions are CEL expressions,
 * which this server does not compile: only their names and presence are checked.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName } from '../../apimachinery/validation.js';
import { goStringSlice, invalidGo, isObj, isValidPortNum, objs, str, validateLabelSelector, type Obj } from './util.js';

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const SIDE_EFFECTS = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const URL_FORM = '; desired format: https://host[/path]';
const MAX_MATCH_CONDITIONS = 64;

interface Options {
  requireNoSideEffects: boolean;
  requireRecognizedAdmissionReviewVersion: boolean;
  requireUniqueWebhookNames: boolean;
}

const STRICT: Options = { requireNoSideEffects: true, requireRecognizedAdmissionReviewVersion: true, requireUniqueWebhookNames: true };

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => str(x)) : [];
}

/** IsFullyQualifiedName: a DNS subdomain of at least three labels. */
function validateFullyQualifiedName(name: string, path: string): FieldError[] {
  if (name === '') return [field.required(path)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [field.invalid(path, name, errs.join(','))];
  if (name.split('.').length < 3) return [field.invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(field.required(path));
  const wildcardSub = new Set<string>();
  const wildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSub = false;
  resources.forEach((rs, i) => {
    if (rs === '') {
      errs.push(field.required(`${path}[${i}]`));
      return;
    }
    if (rs === '*/*') doubleWildcard = true;
    if (rs === '*') singleWildcard = true;
    const slash = rs.indexOf('/');
    if (slash < 0) {
      withoutSub = rs !== '*';
      return;
    }
    const res = rs.slice(0, slash);
    const sub = rs.slice(slash + 1);
    if (wildcardSub.has(res)) errs.push(field.invalid(`${path}[${i}]`, rs, `if '${res}/*' is present, must not specify ${rs}`));
    if (wildcardRes.has(sub)) errs.push(field.invalid(`${path}[${i}]`, rs, `if '*/${sub}' is present, must not specify ${rs}`));
    if (sub === '*') wildcardSub.add(res);
    if (res === '*') wildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errs.push(invalidGo(path, goStringSlice(resources), "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && withoutSub) errs.push(invalidGo(path, goStringSlice(resources), "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

function validateRule(rule: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = strings(rule.operations);
  if (ops.length === 0) errs.push(field.required(`${path}.operations`));
  if (ops.length > 1 && ops.includes('*')) {
    errs.push(invalidGo(`${path}.operations`, goStringSlice(rule.operations, 'admissionregistration.OperationType'), "if '*' is present, must not specify other operations"));
  }
  ops.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) errs.push(field.notSupported(`${path}.operations[${i}]`, op, OPERATIONS));
  });
  const groups = strings(rule.apiGroups);
  if (groups.length === 0) errs.push(field.required(`${path}.apiGroups`));
  if (groups.length > 1 && groups.includes('*')) errs.push(invalidGo(`${path}.apiGroups`, goStringSlice(groups), "if '*' is present, must not specify other API groups"));
  const versions = strings(rule.apiVersions);
  if (versions.length === 0) errs.push(field.required(`${path}.apiVersions`));
  if (versions.length > 1 && versions.includes('*')) {
    errs.push(invalidGo(`${path}.apiVersions`, goStringSlice(versions), "if '*' is present, must not specify other API versions"));
  }
  versions.forEach((v, i) => {
    if (v === '') errs.push(field.required(`${path}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(strings(rule.resources), `${path}.resources`));
  if (rule.scope !== undefined && rule.scope !== null && !SCOPES.includes(str(rule.scope))) errs.push(field.notSupported(`${path}.scope`, rule.scope, SCOPES));
  return errs;
}

/** ValidateWebhookURL with https required. */
function validateURL(raw: string, path: string): FieldError[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // Go's url.Parse accepts almost anything; what it accepts without a host fails below.
    return [field.invalid(path, '', `host must be specified${URL_FORM}`)];
  }
  const errs: FieldError[] = [];
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'https') errs.push(field.invalid(path, scheme, `'https' is the only allowed URL scheme${URL_FORM}`));
  if (u.host === '') errs.push(field.invalid(path, u.host, `host must be specified${URL_FORM}`));
  if (u.username !== '' || u.password !== '') {
    errs.push(field.invalid(path, u.password !== '' ? `${u.username}:${u.password}` : u.username, 'user information is not permitted in the URL'));
  }
  const fragment = u.hash.replace(/^#/, '');
  if (fragment !== '') errs.push(field.invalid(path, decodeURIComponent(fragment), 'fragments are not permitted in the URL'));
  const query = u.search.replace(/^\?/, '');
  if (query !== '') errs.push(field.invalid(path, query, 'query parameters are not permitted in the URL'));
  return errs;
}

/** ValidateWebhookService: name, namespace, port and an optional path of DNS-subdomain segments. */
function validateService(svc: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (str(svc.name) === '') errs.push(field.required(`${path}.name`, 'service name is required'));
  if (str(svc.namespace) === '') errs.push(field.required(`${path}.namespace`, 'service namespace is required'));
  const port = typeof svc.port === 'number' ? svc.port : 0;
  const portErrs = isValidPortNum(port);
  if (portErrs.length > 0) errs.push(field.invalid(`${path}.port`, port, `port is not valid: ${portErrs.join(', ')}`));
  if (typeof svc.path !== 'string') return errs;
  const p = svc.path;
  if (p === '/' || p === '') return errs;
  if (p === '//') return [...errs, field.invalid(`${path}.path`, p, 'segment[0] may not be empty')];
  if (!p.startsWith('/')) errs.push(field.invalid(`${path}.path`, p, "must start with a '/'"));
  let check = p.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step === '') {
      errs.push(field.invalid(`${path}.path`, p, `segment[${i}] may not be empty`));
      return;
    }
    for (const m of isDNS1123Subdomain(step)) errs.push(field.invalid(`${path}.path`, p, `segment[${i}]: ${m}`));
  });
  return errs;
}

function validateReviewVersions(versions: unknown, requireRecognized: boolean, path: string): FieldError[] {
  const list = strings(versions);
  if (list.length === 0) return [field.required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  list.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(field.invalid(`${path}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const m of isDNS1035Label(v)) errs.push(field.invalid(`${path}[${i}]`, v, m));
    if (REVIEW_VERSIONS.includes(v)) accepted = true;
  });
  if (requireRecognized && !accepted) errs.push(invalidGo(path, goStringSlice(list), `must include at least one of ${REVIEW_VERSIONS.join(', ')}`));
  return errs;
}

function validateMatchConditions(conditions: unknown, path: string): FieldError[] {
  const list = objs(conditions);
  const errs: FieldError[] = [];
  if (list.length > MAX_MATCH_CONDITIONS) errs.push({ type: 'FieldValueTooMany', field: path, detail: `${list.length}: must have at most ${MAX_MATCH_CONDITIONS} items` });
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = str(c.name);
    if (name === '') errs.push(field.required(`${p}.name`));
    else for (const m of isQualifiedName(name)) errs.push(field.invalid(`${p}.name`, name, m));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    names.add(name);
    if (str(c.expression) === '') errs.push(field.required(`${p}.expression`));
  });
  return errs;
}

function validateWebhook(hook: Obj, path: string, opts: Options, mutating: boolean): FieldError[] {
  const errs = validateFullyQualifiedName(str(hook.name), `${path}.name`);
  objs(hook.rules).forEach((r, i) => errs.push(...validateRule(r, `${path}.rules[${i}]`)));
  if (hook.failurePolicy !== undefined && hook.failurePolicy !== null && !FAILURE_POLICIES.includes(str(hook.failurePolicy))) {
    errs.push(field.notSupported(`${path}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES));
  }
  if (hook.matchPolicy !== undefined && hook.matchPolicy !== null && !MATCH_POLICIES.includes(str(hook.matchPolicy))) {
    errs.push(field.notSupported(`${path}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES));
  }
  const allowed = opts.requireNoSideEffects ? NO_SIDE_EFFECTS : SIDE_EFFECTS;
  if (hook.sideEffects === undefined || hook.sideEffects === null) errs.push(field.required(`${path}.sideEffects`, `must specify one of ${allowed.join(', ')}`));
  else if (!allowed.includes(str(hook.sideEffects))) errs.push(field.notSupported(`${path}.sideEffects`, hook.sideEffects, allowed));
  const timeout = hook.timeoutSeconds;
  if (typeof timeout === 'number' && (timeout > 30 || timeout < 1)) {
    errs.push(field.invalid(`${path}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
  }
  if (mutating && hook.reinvocationPolicy !== undefined && hook.reinvocationPolicy !== null && !REINVOCATION_POLICIES.includes(str(hook.reinvocationPolicy))) {
    errs.push(field.notSupported(`${path}.reinvocationPolicy`, hook.reinvocationPolicy, REINVOCATION_POLICIES));
  }
  if (isObj(hook.namespaceSelector)) errs.push(...validateLabelSelector(hook.namespaceSelector, `${path}.namespaceSelector`));
  if (isObj(hook.objectSelector)) errs.push(...validateLabelSelector(hook.objectSelector, `${path}.objectSelector`));
  const cc: Obj = isObj(hook.clientConfig) ? hook.clientConfig : {};
  const hasURL = typeof cc.url === 'string';
  const hasService = isObj(cc.service);
  if (hasURL === hasService) errs.push(field.required(`${path}.clientConfig`, 'exactly one of url or service is required'));
  else if (hasURL) errs.push(...validateURL(cc.url, `${path}.clientConfig.url`));
  else errs.push(...validateService(cc.service, `${path}.clientConfig.service`));
  errs.push(...validateMatchConditions(hook.matchConditions, `${path}.matchConditions`));
  return errs;
}

function validateConfiguration(cfg: Obj, opts: Options, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(cfg.webhooks).forEach((hook, i) => {
    const p = `webhooks[${i}]`;
    errs.push(...validateWebhook(hook, p, opts, mutating));
    errs.push(...validateReviewVersions(hook.admissionReviewVersions, opts.requireRecognizedAdmissionReviewVersion, `${p}.admissionReviewVersions`));
    const name = str(hook.name);
    if (opts.requireUniqueWebhookNames && name !== '') {
      if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      else names.add(name);
    }
  });
  return errs;
}

/** The options an update gets: a rule the stored object already broke is not enforced. */
function updateOptions(old: Obj): Options {
  const hooks = objs(old.webhooks);
  const names = hooks.map((h) => str(h.name));
  return {
    requireNoSideEffects: hooks.every((h) => NO_SIDE_EFFECTS.includes(str(h.sideEffects))),
    requireRecognizedAdmissionReviewVersion: hooks.every((h) => strings(h.admissionReviewVersions).some((v) => REVIEW_VERSIONS.includes(v))),
    requireUniqueWebhookNames: new Set(names).size === names.length,
  };
}

export function validateValidatingWebhookConfiguration(cfg: Obj): FieldError[] {
  return validateConfiguration(cfg, STRICT, false);
}

export function validateValidatingWebhookConfigurationUpdate(cfg: Obj, old: Obj): FieldError[] {
  return validateConfiguration(cfg, updateOptions(old), false);
}

export function validateMutatingWebhookConfiguration(cfg: Obj): FieldError[] {
  return validateConfiguration(cfg, STRICT, true);
}

export function validateMutatingWebhookConfigurationUpdate(cfg: Obj, old: Obj): FieldError[] {
  return validateConfiguration(cfg, updateOptions(old), true);
}
