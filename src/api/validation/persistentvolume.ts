/**
 * core/v1 PersistentVolume, as upstream's ValidatePersistentVolume(Update): access modes,
 * a storage-only capacity, exactly one volume source (with the checks it shares with pod
 * volumes), the reclaim policy and volume mode enums, node affinity (required for local
 * volumes), and a source that never changes after creation.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { canonicalQuantity, compareQuantity, parseQuantity, quantityValue } from '../../apimachinery/quantity.js';
import { FIELD_IMMUTABLE_ERROR_MSG, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../apimachinery/validation.js';
import { goResourceList } from './gofmt.js';
import { deepEqual, isObj, objs, str, type Obj } from './util.js';
import { fc, flocker, hostPath, MORE_THAN_ONE, nfs, noBacksteps, required, validateCSIDriverName } from './volumes.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];

type SourceCheck = (src: Obj, path: string) => FieldError[];

function local(s: Obj, path: string): FieldError[] {
  const p = str(s.path);
  if (p === '') return [field.required(`${path}.path`)];
  return noBacksteps(p, `${path}.path`);
}

function csi(s: Obj, path: string): FieldError[] {
  const errs = validateCSIDriverName(str(s.driver), `${path}.driver`);
  if (str(s.volumeHandle) === '') errs.push(field.required(`${path}.volumeHandle`));
  return errs;
}

/** A PV's volume sources in upstream's checking order: [field, path its errors are reported at, checks]. */
const SOURCES: [string, string, SourceCheck][] = [
  ['hostPath', 'hostPath', hostPath],
  ['gcePersistentDisk', 'persistentDisk', (s, p) => required(s, ['pdName'], p)],
  ['awsElasticBlockStore', 'awsElasticBlockStore', (s, p) => required(s, ['volumeID'], p)],
  ['glusterfs', 'glusterfs', (s, p) => required(s, ['endpoints', 'path'], p)],
  ['flocker', 'flocker', flocker],
  ['nfs', 'nfs', nfs],
  ['rbd', 'rbd', (s, p) => required(s, ['monitors', 'image'], p)],
  ['quobyte', 'quobyte', (s, p) => required(s, ['registry', 'volume'], p)],
  ['cinder', 'cinder', (s, p) => required(s, ['volumeID'], p)],
  ['cephfs', 'cephfs', (s, p) => required(s, ['monitors'], p)],
  ['iscsi', 'iscsi', (s, p) => required(s, ['targetPortal', 'iqn'], p)],
  ['fc', 'fc', fc],
  ['flexVolume', 'flexVolume', (s, p) => required(s, ['driver'], p)],
  ['azureFile', 'azureFile', (s, p) => required(s, ['secretName', 'shareName'], p)],
  ['vsphereVolume', 'vsphereVolume', (s, p) => required(s, ['volumePath'], p)],
  ['photonPersistentDisk', 'photonPersistentDisk', (s, p) => required(s, ['pdID'], p)],
  ['portworxVolume', 'portworxVolume', (s, p) => required(s, ['volumeID'], p)],
  ['azureDisk', 'azureDisk', (s, p) => required(s, ['diskName', 'diskURI'], p)],
  ['scaleIO', 'scaleIO', (s, p) => required(s, ['gateway', 'system', 'volumeName'], p)],
  ['local', 'local', local],
  ['storageos', 'storageos', (s, p) => required(s, ['volumeName'], p)],
  ['csi', 'csi', csi],
];

function validateRequirement(r: Obj, path: string, fieldSelector: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const values = Array.isArray(r.values) ? r.values.map((v: unknown) => str(v)) : [];
  const op = str(r.operator);
  if (fieldSelector) {
    // matchFields: only metadata.name with In/NotIn and exactly one value.
    if (op === 'In' || op === 'NotIn') {
      if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else errs.push(field.invalid(`${path}.operator`, op, 'not a valid selector operator'));
    if (str(r.key) !== 'metadata.name') errs.push(field.invalid(`${path}.key`, str(r.key), 'not a valid field selector key'));
    return errs;
  }
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(field.invalid(`${path}.operator`, op, 'not a valid selector operator'));
  }
  const key = str(r.key);
  for (const m of isQualifiedName(key)) errs.push(field.invalid(`${path}.key`, key, m));
  values.forEach((v: string, i: number) => {
    for (const m of isValidLabelValue(v)) errs.push(field.invalid(`${path}.values[${i}]`, v, m));
  });
  return errs;
}

/** validateVolumeNodeAffinity: when given, required node selector terms. Returns whether it was given. */
function validateNodeAffinity(na: unknown, path: string): { given: boolean; errs: FieldError[] } {
  if (!isObj(na)) return { given: false, errs: [] };
  if (!isObj(na.required)) return { given: true, errs: [field.required(`${path}.required`, 'must specify required node constraints')] };
  const termsPath = `${path}.required.nodeSelectorTerms`;
  const terms = objs(na.required.nodeSelectorTerms);
  if (terms.length === 0) return { given: true, errs: [field.required(termsPath, 'must have at least one node selector term')] };
  const errs: FieldError[] = [];
  terms.forEach((t, i) => {
    objs(t.matchExpressions).forEach((r, j) => errs.push(...validateRequirement(r, `${termsPath}[${i}].matchExpressions[${j}]`, false)));
    objs(t.matchFields).forEach((r, j) => errs.push(...validateRequirement(r, `${termsPath}[${i}].matchFields[${j}]`, true)));
  });
  return { given: true, errs };
}

function validateCapacity(capacity: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const cap: Obj = isObj(capacity) ? capacity : {};
  const keys = Object.keys(cap);
  if (keys.length === 0) errs.push(field.required('spec.capacity'));
  if (!('storage' in cap) || keys.length > 1) {
    errs.push({ type: 'FieldValueNotSupported', field: 'spec.capacity', detail: `${goResourceList(capacity)}: supported values: "storage"` });
  }
  for (const k of keys.sort()) {
    const raw = typeof cap[k] === 'number' ? String(cap[k]) : str(cap[k]);
    const p = `spec.capacity[${k}]`;
    try {
      const q = parseQuantity(raw);
      if (quantityValue(q) < 0) errs.push(field.invalid(p, quantityValue(q), 'must be a valid resource quantity'));
      if (compareQuantity(q, '0') <= 0) errs.push(field.invalid(p, canonicalQuantity(raw), 'must be greater than zero'));
    } catch {
      // Unparsable quantities are refused when the body is decoded upstream.
    }
  }
  return errs;
}

export function validatePersistentVolume(pv: Obj): FieldError[] {
  const spec: Obj = isObj(pv.spec) ? pv.spec : {};
  const errs: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes.map((m: unknown) => str(m)) : [];
  if (modes.length === 0) errs.push(field.required('spec.accessModes'));
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported('spec.accessModes', m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(field.forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  errs.push(...validateCapacity(spec.capacity));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy !== '' && !RECLAIM_POLICIES.includes(policy)) errs.push(field.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  const affinity = validateNodeAffinity(spec.nodeAffinity, 'spec.nodeAffinity');
  errs.push(...affinity.errs);
  let n = 0;
  for (const [key, ownPath, check] of SOURCES) {
    const src = spec[key];
    if (src === undefined || src === null) continue;
    if (n > 0) {
      errs.push(field.forbidden(`spec.${key}`, MORE_THAN_ONE));
      continue;
    }
    n++;
    errs.push(...check(isObj(src) ? src : {}, `spec.${ownPath}`));
    if (key === 'local' && !affinity.given) errs.push(field.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (n === 0) errs.push(field.required('spec', 'must specify a volume type'));
  if (isObj(spec.hostPath) && cleanPath(str(spec.hostPath.path)) === '/' && policy === 'Recycle') {
    errs.push(field.forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  const cls = str(spec.storageClassName);
  if (cls !== '') for (const m of isDNS1123Subdomain(cls)) errs.push(field.invalid('spec.storageClassName', cls, m));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !VOLUME_MODES.includes(str(spec.volumeMode))) {
    errs.push(field.notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  }
  return errs;
}

/** path.Clean's answer to "is this the root": "/", "//", "/./.." all are. */
function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return p.startsWith('/') ? `/${parts.join('/')}` : parts.join('/') || '.';
}

function sourceOf(spec: Obj): Obj {
  const out: Obj = {};
  for (const [key] of SOURCES) if (spec[key] !== undefined && spec[key] !== null) out[key] = spec[key];
  return out;
}

/** A short account of what changed (upstream prints a cmp.Diff of the source struct). */
function sourceDiff(old: Obj, next: Obj): string {
  const lines = ['  core.PersistentVolumeSource{'];
  for (const [key] of SOURCES) {
    if (deepEqual(old[key], next[key])) continue;
    if (old[key] !== undefined) lines.push(`- \t${key}: ${JSON.stringify(old[key])},`);
    if (next[key] !== undefined) lines.push(`+ \t${key}: ${JSON.stringify(next[key])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

export function validatePersistentVolumeUpdate(pv: Obj, old: Obj): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const spec: Obj = isObj(pv.spec) ? pv.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const next = sourceOf(spec);
  const prev = sourceOf(oldSpec);
  // A CSI volume may gain a controllerExpandSecretRef it did not have.
  if (isObj(next.csi) && isObj(prev.csi) && prev.csi.controllerExpandSecretRef === undefined) {
    next.csi = { ...next.csi };
    delete next.csi.controllerExpandSecretRef;
  }
  if (!deepEqual(next, prev)) {
    errs.push(field.forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${sourceDiff(prev, next)}`));
  }
  if (!deepEqual(spec.volumeMode, oldSpec.volumeMode)) errs.push(field.invalid('volumeMode', spec.volumeMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  return errs;
}
