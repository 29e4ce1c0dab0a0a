/**
 * Validation of the core (v1) kinds users meet most, with upstream's field paths and
 * messages (pkg/apis/core/validation/validation.go).
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { ERR_FORMAT_WRONG, compareQuantity, canonicalQuantity, parseQuantity } from '../../apimachinery/quantity.js';
import { isDNS1123Label, isDNS1123Subdomain, validateLabels, validateAnnotations } from '../../apimachinery/validation.js';
import { validateVolumeMounts, validateVolumes } from './volumes.js';
import { deepEqual, immutable, isObj, isValidPortName, isValidPortNum, nonNegative, objs, positive, strMap, type Obj } from './util.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateQuantityMap(m: unknown, path: string, errs: FieldError[]): Map<string, string> {
  const ok = new Map<string, string>();
  if (!isObj(m)) return ok;
  for (const [name, raw] of Object.entries(m)) {
    const p = `${path}[${name}]`;
    const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
    try {
      const q = parseQuantity(s);
      if (compareQuantity(q, '0') < 0) errs.push(field.invalid(p, s, 'must be greater than or equal to 0'));
      else ok.set(name, s);
    } catch {
      errs.push(field.invalid(p, raw, ERR_FORMAT_WRONG));
    }
  }
  return ok;
}

/** ValidateResourceRequirements: valid, non-negative quantities and requests <= limits. */
export function validateResources(res: unknown, path: string): FieldError[] {
  if (!isObj(res)) return [];
  const errs: FieldError[] = [];
  const limits = validateQuantityMap(res.limits, `${path}.limits`, errs);
  const requests = validateQuantityMap(res.requests, `${path}.requests`, errs);
  for (const [name, req] of requests) {
    const lim = limits.get(name);
    if (lim !== undefined && compareQuantity(req, lim) > 0) {
      errs.push(field.invalid(`${path}.requests`, canonicalQuantity(req), `must be less than or equal to ${name} limit of ${canonicalQuantity(lim)}`));
    }
  }
  return errs;
}

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(ports).forEach((p, i) => {
    const pp = `${path}[${i}]`;
    if (typeof p.name === 'string' && p.name !== '') {
      for (const m of isValidPortName(p.name)) errs.push(field.invalid(`${pp}.name`, p.name, m));
      if (names.has(p.name)) errs.push(field.duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(field.required(`${pp}.containerPort`));
    else for (const m of isValidPortNum(Number(p.containerPort))) errs.push(field.invalid(`${pp}.containerPort`, p.containerPort, m));
    if (p.hostPort !== undefined && p.hostPort !== 0) for (const m of isValidPortNum(Number(p.hostPort))) errs.push(field.invalid(`${pp}.hostPort`, p.hostPort, m));
    if (p.protocol === undefined || p.protocol === '') errs.push(field.required(`${pp}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

function validateContainers(list: unknown, path: string, seen: Set<string>, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  objs(list).forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = typeof c.name === 'string' ? c.name : '';
    if (name === '') errs.push(field.required(`${p}.name`));
    else {
      for (const m of isDNS1123Label(name)) errs.push(field.invalid(`${p}.name`, name, m));
      if (seen.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      seen.add(name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') errs.push(field.required(`${p}.image`));
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
      errs.push(field.notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    }
    if (c.terminationMessagePolicy !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
      errs.push(field.notSupported(`${p}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
    }
    errs.push(...validateContainerPorts(c.ports, `${p}.ports`));
    errs.push(...validateResources(c.resources, `${p}.resources`));
    objs(c.env).forEach((e, j) => {
      if (typeof e.name !== 'string' || e.name === '') errs.push(field.required(`${p}.env[${j}].name`));
    });
    const privileged = isObj(c.securityContext) && c.securityContext.privileged === true;
    errs.push(...validateVolumeMounts(c.volumeMounts, volumes, `${p}.volumeMounts`, privileged));
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const pr = c[probe];
      if (!isObj(pr)) continue;
      for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
        errs.push(...nonNegative(pr[k], `${p}.${probe}.${k}`));
      }
      if (probe !== 'readinessProbe' && typeof pr.successThreshold === 'number' && pr.successThreshold !== 1) {
        errs.push(field.invalid(`${p}.${probe}.successThreshold`, pr.successThreshold, 'must be 1'));
      }
    }
  });
  return errs;
}

/** ValidatePodSpec (the parts users hit). */
export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const s: Obj = isObj(spec) ? spec : {};
  const errs: FieldError[] = [];
  const { names: volumes, errs: volumeErrs } = validateVolumes(s.volumes, `${path}.volumes`);
  errs.push(...volumeErrs);
  const names = new Set<string>();
  if (!Array.isArray(s.containers) || s.containers.length === 0) errs.push(field.required(`${path}.containers`));
  else errs.push(...validateContainers(s.containers, `${path}.containers`, names, volumes));
  errs.push(...validateContainers(s.initContainers, `${path}.initContainers`, names, volumes));
  if (s.restartPolicy !== undefined && !RESTART_POLICIES.includes(s.restartPolicy)) {
    errs.push(field.notSupported(`${path}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  }
  if (s.dnsPolicy !== undefined && !DNS_POLICIES.includes(s.dnsPolicy)) errs.push(field.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES));
  if (s.dnsPolicy === 'None' && (!isObj(s.dnsConfig) || !Array.isArray(s.dnsConfig.nameservers) || s.dnsConfig.nameservers.length === 0)) {
    errs.push(field.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when DNS policy is None'));
  }
  errs.push(...positive(s.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  if (typeof s.serviceAccountName === 'string' && s.serviceAccountName !== '') {
    for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(field.invalid(`${path}.serviceAccountName`, s.serviceAccountName, m));
  }
  if (typeof s.hostname === 'string' && s.hostname !== '') for (const m of isDNS1123Label(s.hostname)) errs.push(field.invalid(`${path}.hostname`, s.hostname, m));
  if (typeof s.subdomain === 'string' && s.subdomain !== '') for (const m of isDNS1123Label(s.subdomain)) errs.push(field.invalid(`${path}.subdomain`, s.subdomain, m));
  if (isObj(s.nodeSelector)) errs.push(...validateLabels(strMap(s.nodeSelector), `${path}.nodeSelector`));
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations and the pod spec under it. */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  if (!isObj(template)) return [field.required(path)];
  const errs: FieldError[] = [];
  const meta = isObj(template.metadata) ? template.metadata : {};
  errs.push(...validateLabels(strMap(meta.labels), `${path}.metadata.labels`));
  errs.push(...validateAnnotations(strMap(meta.annotations), `${path}.metadata.annotations`));
  errs.push(...validatePodSpec(template.spec, `${path}.spec`));
  return errs;
}

export function validatePod(pod: Obj): FieldError[] {
  return validatePodSpec(pod.spec, 'spec');
}

export const POD_UPDATABLE_FIELDS =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function sameToleration(a: Obj, b: Obj): boolean {
  return deepEqual({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
}

/** ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and removed scheduling gates may change. */
export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const errs = validatePod(pod);
  const spec: Obj = isObj(pod.spec) ? pod.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const munged: Obj = structuredClone(spec);
  for (const key of ['containers', 'initContainers']) {
    const olds = objs(oldSpec[key]);
    objs(munged[key]).forEach((c, i) => {
      const o = olds[i];
      if (o === undefined) return;
      // A changed image re-defaults imagePullPolicy on objects stored before defaulting existed.
      if (c.image !== o.image) c.imagePullPolicy = o.imagePullPolicy;
      c.image = o.image;
    });
  }
  // activeDeadlineSeconds may be set, or lowered, never removed or raised.
  const nad = spec.activeDeadlineSeconds;
  const oad = oldSpec.activeDeadlineSeconds;
  if (typeof nad === 'number' && (oad === undefined || (typeof oad === 'number' && nad <= oad))) munged.activeDeadlineSeconds = oad;
  const oldTol = objs(oldSpec.tolerations);
  const newTol = objs(spec.tolerations);
  if (oldTol.every((t) => newTol.some((n) => sameToleration(t, n)))) munged.tolerations = oldSpec.tolerations;
  else {
    errs.push(field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
    munged.tolerations = oldSpec.tolerations;
  }
  const oldGates = objs(oldSpec.schedulingGates);
  const newGates = objs(spec.schedulingGates);
  if (newGates.every((g) => oldGates.some((o) => deepEqual(o, g)))) munged.schedulingGates = oldSpec.schedulingGates;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // Binding (nodeName set once), ephemeral containers and graceful deletion move through
  // subresources and the delete path, which reach here as updates too.
  if (munged.nodeName === undefined || munged.nodeName === '' || oldSpec.nodeName === undefined || oldSpec.nodeName === '') munged.nodeName = oldSpec.nodeName;
  munged.ephemeralContainers = oldSpec.ephemeralContainers;
  if (isObj(pod.metadata) && pod.metadata.deletionTimestamp !== undefined) munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  if (!deepEqual(munged, oldSpec)) {
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${POD_UPDATABLE_FIELDS}\n${specDiff(oldSpec, munged)}`));
  }
  return errs;
}

/** A short, readable account of which spec fields differ (upstream prints a cmp.Diff). */
function specDiff(old: Obj, next: Obj): string {
  const lines: string[] = ['  core.PodSpec{'];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  for (const k of keys) {
    if (deepEqual(old[k], next[k])) continue;
    if (old[k] !== undefined) lines.push(`- \t${k}: ${JSON.stringify(old[k])},`);
    if (next[k] !== undefined) lines.push(`+ \t${k}: ${JSON.stringify(next[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

export function validateService(svc: Obj): FieldError[] {
  const spec: Obj = isObj(svc.spec) ? svc.spec : {};
  const errs: FieldError[] = [];
  const type = spec.type;
  if (type !== undefined && !SERVICE_TYPES.includes(type)) errs.push(field.notSupported('spec.type', type, SERVICE_TYPES));
  if (spec.sessionAffinity !== undefined && !SESSION_AFFINITIES.includes(spec.sessionAffinity)) {
    errs.push(field.notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  }
  if (type === 'ExternalName') {
    if (typeof spec.externalName !== 'string' || spec.externalName === '') errs.push(field.required('spec.externalName'));
    else for (const m of isDNS1123Subdomain(spec.externalName.replace(/\.$/, ''))) errs.push(field.invalid('spec.externalName', spec.externalName, m));
  }
  const ports = objs(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) errs.push(field.required('spec.ports'));
  const names = new Set<string>();
  const portProto = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    const name = typeof p.name === 'string' ? p.name : '';
    if (ports.length > 1 && name === '') errs.push(field.required(`${pp}.name`));
    if (name !== '') {
      for (const m of isDNS1123Label(name)) errs.push(field.invalid(`${pp}.name`, name, m));
      if (names.has(name)) errs.push(field.duplicate(`${pp}.name`, name));
      names.add(name);
    }
    for (const m of isValidPortNum(Number(p.port ?? 0))) errs.push(field.invalid(`${pp}.port`, p.port ?? 0, m));
    if (p.protocol === undefined || p.protocol === '') errs.push(field.required(`${pp}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    const tp = p.targetPort;
    if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(field.invalid(`${pp}.targetPort`, tp, m));
    else if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(field.invalid(`${pp}.targetPort`, tp, m));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') errs.push(field.forbidden(`${pp}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
      else for (const m of isValidPortNum(Number(p.nodePort))) errs.push(field.invalid(`${pp}.nodePort`, p.nodePort, m));
    }
    const key = `${String(p.port)}/${String(p.protocol)}`;
    if (portProto.has(key)) errs.push(field.duplicate(pp, { port: p.port, protocol: p.protocol }));
    portProto.add(key);
  });
  if (isObj(spec.selector)) errs.push(...validateLabels(strMap(spec.selector), 'spec.selector'));
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') {
    if (type !== 'NodePort' && type !== 'LoadBalancer') errs.push(field.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
    else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) errs.push(field.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.internalTrafficPolicy !== undefined && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(field.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  return errs;
}

export function validateServiceUpdate(svc: Obj, old: Obj): FieldError[] {
  const errs = validateService(svc);
  const spec: Obj = isObj(svc.spec) ? svc.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const fromOrToExternalName = spec.type === 'ExternalName' || oldSpec.type === 'ExternalName';
  const oldIP = typeof oldSpec.clusterIP === 'string' ? oldSpec.clusterIP : '';
  const newIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  // An empty clusterIP on update means "keep" (the allocator copies the old one in).
  if (!fromOrToExternalName && oldIP !== '' && newIP !== '' && newIP !== oldIP) {
    errs.push(field.invalid('spec.clusterIPs[0]', Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [newIP], 'may not change once set'));
  }
  return errs;
}

const MAX_SECRET_SIZE = 1024 * 1024;
const configKeyRe = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(key) > 253) errs.push('must be no more than 253 characters');
  if (!configKeyRe.test(key)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function dataSize(v: unknown, base64: boolean): number {
  if (typeof v !== 'string') return 0;
  return base64 ? Buffer.from(v, 'base64').length : Buffer.byteLength(v);
}

export function validateConfigMap(cm: Obj): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = isObj(cm.data) ? cm.data : {};
  const bin = isObj(cm.binaryData) ? cm.binaryData : {};
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`data[${k}]`, k, m));
    if (k in bin) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    total += dataSize(v, false);
  }
  for (const [k, v] of Object.entries(bin)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`binaryData[${k}]`, k, m));
    total += dataSize(v, true);
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('', MAX_SECRET_SIZE));
  return errs;
}

function validateImmutableData(next: Obj, old: Obj, keys: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (next.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
    for (const k of keys) if (!deepEqual(next[k], old[k])) errs.push(field.forbidden(k, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export function validateConfigMapUpdate(cm: Obj, old: Obj): FieldError[] {
  return [...validateImmutableData(cm, old, ['data', 'binaryData']), ...validateConfigMap(cm)];
}

const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(secret: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data = isObj(secret.data) ? secret.data : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`data[${k}]`, k, m));
    total += dataSize(v, true);
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
  const type = typeof secret.type === 'string' ? secret.type : 'Opaque';
  for (const k of SECRET_REQUIRED_KEYS[type] ?? []) if (!(k in data)) errs.push(field.required(`data[${k}]`));
  if (type === 'kubernetes.io/service-account-token') {
    const ann = isObj(secret.metadata) && isObj(secret.metadata.annotations) ? secret.metadata.annotations : {};
    if (typeof ann['kubernetes.io/service-account.name'] !== 'string' || ann['kubernetes.io/service-account.name'] === '') {
      errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(field.required('data[username]'), field.required('data[password]'));
  }
  return errs;
}

export function validateSecretUpdate(secret: Obj, old: Obj): FieldError[] {
  const errs = [...immutable(secret.type ?? 'Opaque', old.type ?? 'Opaque', 'type'), ...validateImmutableData(secret, old, ['data'])];
  return [...errs, ...validateSecret(secret)];
}

export function validateReplicationController(rc: Obj): FieldError[] {
  const spec: Obj = isObj(rc.spec) ? rc.spec : {};
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const selector = strMap(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(field.required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  if (isObj(spec.template)) {
    const labels = strMap(isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined);
    if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
      errs.push(field.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
    errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
    const rp = isObj(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
    if (rp !== undefined && rp !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  } else errs.push(field.required('spec.template'));
  return errs;
}

export function validatePVC(pvc: Obj): FieldError[] {
  const spec: Obj = isObj(pvc.spec) ? pvc.spec : {};
  const errs: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  const MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
  if (modes.length === 0) errs.push(field.required('spec.accessModes', 'at least 1 access mode is required'));
  for (const m of modes) if (!MODES.includes(m)) errs.push(field.notSupported('spec.accessModes', m, MODES));
  const requests = isObj(spec.resources) ? spec.resources.requests : undefined;
  if (!isObj(requests) || requests.storage === undefined) errs.push(field.required('spec.resources[storage]'));
  else errs.push(...validateResources(spec.resources, 'spec.resources'));
  return errs;
}
