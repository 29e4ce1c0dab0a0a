/**
 * networking.k8s.io/v1: Ingress, IngressClass and NetworkPolicy, with upstream's paths
 * and messages (pkg/apis/networking/validation, as of 1.32).
 */
import { isIP } from 'node:net';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName, maxLenError, regexError } from '../../apimachinery/validation.js';
import { parseCIDR, type CIDR } from './cidr.js';
import {
  goStringSlice,
  immutable,
  invalidGo,
  isObj,
  isValidPortName,
  isValidPortNum,
  objs,
  str,
  strMap,
  validateLabelSelector,
  type Obj,
} from './util.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const MAX_CONTROLLER_LEN = 250;

const wildcardFmt = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const wildcardRe = new RegExp(`^${wildcardFmt}$`);
const wildcardMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** IsWildcardDNS1123Subdomain ("*.example.com"). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push(maxLenError(253));
  if (!wildcardRe.test(value)) errs.push(regexError(wildcardMsg, wildcardFmt, '*.example.com'));
  return errs;
}

/** A DNS name, or a wildcard one when it contains '*'. */
function hostErrors(host: string): string[] {
  return host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
}

interface IngressOptions {
  /** An update keeps accepting secret names that were already invalid (upstream's compatibility rule). */
  allowInvalidSecretName: boolean;
  /** An update keeps accepting invalid rules under wildcard hosts that were already stored. */
  allowInvalidWildcardHostRule: boolean;
}

function validateBackend(b: Obj, path: string): FieldError[] {
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return typedLocalObjectReference(b.resource, `${path}.resource`);
  if (!hasService) return [field.invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const svc: Obj = b.service;
  const name = str(svc.name);
  if (name === '') errs.push(field.required(`${path}.service.name`));
  else for (const m of isDNS1035Label(name)) errs.push(field.invalid(`${path}.service.name`, name, m));
  const port: Obj = isObj(svc.port) ? svc.port : {};
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName !== '' && portNumber !== 0) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') for (const m of isValidPortName(portName)) errs.push(field.invalid(`${path}.service.port.name`, portName, m));
  else if (portNumber !== 0) for (const m of isValidPortNum(portNumber)) errs.push(field.invalid(`${path}.service.port.number`, portNumber, m));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

function typedLocalObjectReference(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof ref.apiGroup === 'string') for (const m of isDNS1123Subdomain(ref.apiGroup)) errs.push(field.invalid(`${path}.apiGroup`, ref.apiGroup, m));
  for (const key of ['kind', 'name']) {
    const v = str(ref[key]);
    if (v === '') errs.push(field.required(`${path}.${key}`));
    else for (const m of isValidPathSegmentName(v)) errs.push(field.invalid(`${path}.${key}`, v, m));
  }
  return errs;
}

function validateHTTPPath(p: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const pathType = p.pathType;
  if (pathType === undefined || pathType === null) return [field.required(`${path}.pathType`, 'pathType must be specified')];
  const value = str(p.path);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(field.invalid(`${path}.path`, value, 'must be an absolute path'));
    if (value !== '') {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(field.invalid(`${path}.path`, value, `must not contain '${seq}'`));
      for (const suf of INVALID_PATH_SUFFIXES) if (value.endsWith(suf)) errs.push(field.invalid(`${path}.path`, value, `cannot end with '${suf}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value !== '' && !value.startsWith('/')) errs.push(field.invalid(`${path}.path`, value, 'must be an absolute path'));
  } else errs.push(field.notSupported(`${path}.pathType`, pathType, PATH_TYPES));
  errs.push(...validateBackend(isObj(p.backend) ? p.backend : {}, `${path}.backend`));
  return errs;
}

function validateRuleValue(rule: Obj, path: string): FieldError[] {
  if (!isObj(rule.http)) return [];
  const paths = objs(rule.http.paths);
  const errs: FieldError[] = [];
  if (paths.length === 0) errs.push(field.required(`${path}.http.paths`));
  paths.forEach((p, i) => errs.push(...validateHTTPPath(p, `${path}.http.paths[${i}]`)));
  return errs;
}

function validateIngressSpec(spec: Obj, opts: IngressOptions): FieldError[] {
  const errs: FieldError[] = [];
  const rules = objs(spec.rules);
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    // Upstream prints the rules slice: nil when absent, empty when given as [].
    const shown = Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.push(invalidGo('spec', shown, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const p = `spec.rules[${i}]`;
    const host = str(r.host);
    let wildcard = false;
    if (host !== '') {
      if (isIP(host) !== 0) errs.push(field.invalid(`${p}.host`, host, 'must be a DNS name, not an IP address'));
      wildcard = host.includes('*');
      for (const m of hostErrors(host)) errs.push(field.invalid(`${p}.host`, host, m));
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateRuleValue(r, p));
  });
  objs(spec.tls).forEach((t, i) => {
    const p = `spec.tls[${i}]`;
    (Array.isArray(t.hosts) ? (t.hosts as unknown[]) : []).forEach((h, j) => {
      const host = str(h);
      for (const m of hostErrors(host)) errs.push(field.invalid(`${p}.hosts[${j}]`, host, m));
    });
    const secret = str(t.secretName);
    if (secret !== '' && !opts.allowInvalidSecretName) for (const m of isDNS1123Subdomain(secret)) errs.push(field.invalid(`${p}.secretName`, secret, m));
  });
  if (typeof spec.ingressClassName === 'string') {
    for (const m of isDNS1123Subdomain(spec.ingressClassName)) errs.push(field.invalid('spec.ingressClassName', spec.ingressClassName, m));
  }
  return errs;
}

function specOf(o: Obj): Obj {
  return isObj(o.spec) ? o.spec : {};
}

export function validateIngress(ing: Obj): FieldError[] {
  const spec = specOf(ing);
  const errs = validateIngressSpec(spec, { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false });
  const ann = strMap(isObj(ing.metadata) ? ing.metadata.annotations : undefined);
  const annotated = ann[INGRESS_CLASS_ANNOTATION];
  if (annotated !== undefined && typeof spec.ingressClassName === 'string' && annotated !== spec.ingressClassName) {
    errs.push(field.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotated, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

export function validateIngressUpdate(ing: Obj, old: Obj): FieldError[] {
  const oldSpec = specOf(old);
  const allowInvalidSecretName = objs(oldSpec.tls).some((t) => str(t.secretName) !== '' && isDNS1123Subdomain(str(t.secretName)).length > 0);
  const allowInvalidWildcardHostRule = objs(oldSpec.rules).some((r) => str(r.host).includes('*') && validateRuleValue(r, '').length > 0);
  return validateIngressSpec(specOf(ing), { allowInvalidSecretName, allowInvalidWildcardHostRule });
}

/** IsDomainPrefixedPath: "example.com/controller". */
function domainPrefixedPath(v: string, path: string): FieldError[] {
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) return [field.invalid(path, v, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = v.slice(0, slash);
  const rest = v.slice(slash + 1);
  const errs = isDNS1123Subdomain(host).map((m) => field.invalid(path, host, m));
  const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
  if (!new RegExp(`^${httpPathFmt}$`).test(rest)) errs.push(field.invalid(path, rest, regexError('Invalid path', httpPathFmt)));
  return errs;
}

export function validateIngressClass(ic: Obj): FieldError[] {
  const spec = specOf(ic);
  const errs: FieldError[] = [];
  const controller = str(spec.controller);
  if (controller === '') errs.push(field.required('spec.controller'));
  else {
    if (Buffer.byteLength(controller) > MAX_CONTROLLER_LEN) errs.push(field.tooLong('spec.controller', MAX_CONTROLLER_LEN));
    errs.push(...domainPrefixedPath(controller, 'spec.controller'));
  }
  if (isObj(spec.parameters)) {
    const p = 'spec.parameters';
    const params: Obj = spec.parameters;
    errs.push(...typedLocalObjectReference(params, p));
    if (params.scope === undefined || params.scope === null) errs.push(field.required(`${p}.scope`));
    else if (!PARAMETER_SCOPES.includes(str(params.scope))) errs.push(field.notSupported(`${p}.scope`, params.scope, PARAMETER_SCOPES));
    else if (params.scope === 'Namespace') {
      if (typeof params.namespace !== 'string') errs.push(field.required(`${p}.namespace`, "`parameters.scope` is set to 'Namespace'"));
      else for (const m of isDNS1123Label(params.namespace)) errs.push(field.invalid(`${p}.namespace`, params.namespace, m));
    } else if (params.namespace !== undefined && params.namespace !== null) {
      errs.push(field.forbidden(`${p}.namespace`, "`parameters.scope` is set to 'Cluster'"));
    }
  }
  return errs;
}

export function validateIngressClassUpdate(ic: Obj, old: Obj): FieldError[] {
  return [...immutable(str(specOf(ic).controller), str(specOf(old).controller), 'spec.controller'), ...validateIngressClass(ic)];
}

function validatePolicyPort(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && port.protocol !== null && !PROTOCOLS.includes(str(port.protocol))) {
    errs.push(field.notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  }
  const endPort = port.endPort;
  const hasEnd = typeof endPort === 'number';
  if (typeof port.port === 'number') {
    for (const m of isValidPortNum(port.port)) errs.push(field.invalid(`${path}.port`, port.port, m));
    if (hasEnd) {
      if (endPort < port.port) errs.push(field.invalid(`${path}.endPort`, endPort, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(endPort)) errs.push(field.invalid(`${path}.endPort`, endPort, m));
    }
  } else if (typeof port.port === 'string') {
    if (hasEnd) errs.push(field.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(port.port)) errs.push(field.invalid(`${path}.port`, port.port, m));
  } else if (hasEnd) errs.push(field.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  return errs;
}

function validateIPBlock(ipb: Obj, path: string): FieldError[] {
  const cidr = str(ipb.cidr);
  if (cidr === '') return [field.required(`${path}.cidr`)];
  const net = parseCIDR(cidr);
  if (net === undefined) return [field.invalid(`${path}.cidr`, cidr, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  const excepts = Array.isArray(ipb.except) ? (ipb.except as unknown[]) : [];
  for (let i = 0; i < excepts.length; i++) {
    const ep = `${path}.except[${i}]`;
    const e = str(excepts[i]);
    const sub: CIDR | undefined = parseCIDR(e);
    // Upstream stops at the first unparsable exception.
    if (sub === undefined) return [...errs, field.invalid(ep, e, 'not a valid CIDR')];
    if (!net.contains(sub.ip) || net.prefix >= sub.prefix) errs.push(field.invalid(ep, e, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

function validatePeer(peer: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (isObj(peer.podSelector)) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (isObj(peer.namespaceSelector)) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (isObj(peer.ipBlock)) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (n > 1 && isObj(peer.ipBlock)) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: Obj): FieldError[] {
  const spec = specOf(np);
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    objs(spec[dir]).forEach((rule, i) => {
      const p = `spec.${dir}[${i}]`;
      objs(rule.ports).forEach((port, j) => errs.push(...validatePolicyPort(port, `${p}.ports[${j}]`)));
      objs(rule[peers]).forEach((peer, j) => errs.push(...validatePeer(peer, `${p}.${peers}[${j}]`)));
    });
  }
  const types = Array.isArray(spec.policyTypes) ? (spec.policyTypes as unknown[]) : [];
  if (types.length > POLICY_TYPES.length) {
    errs.push(invalidGo('spec.policyTypes', goStringSlice(types, 'networking.PolicyType'), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(str(t))) errs.push(field.notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return errs;
}
