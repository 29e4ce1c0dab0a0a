/**
 * Pod volumes and container volume mounts, as upstream's ValidateVolumes,
 * validateVolumeSource and ValidateVolumeMounts (pkg/apis/core/validation). Field paths
 * keep upstream's quirks (a second source on a downwardAPI volume is reported at
 * "downwarAPI", one on cephfs at "cephFS", a gcePersistentDisk is checked under
 * "persistentDisk", subPath errors sit on the volumeMounts list) because users and
 * tools match these strings.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { compareQuantity, parseQuantity } from '../../apimachinery/quantity.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../apimachinery/validation.js';
import { isObj, objs, str, validateLabelSelector, type Obj } from './util.js';

export const MORE_THAN_ONE = 'may not specify more than 1 volume type';
const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const DOWNWARD_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const RESOURCE_FIELD_REFS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

type SourceCheck = (src: Obj, path: string) => FieldError[];

export function required(src: Obj, keys: string[], path: string): FieldError[] {
  return keys.filter((k) => str(src[k]) === '' && !(Array.isArray(src[k]) && src[k].length > 0)).map((k) => field.required(`${path}.${k}`));
}

function fileMode(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && (v < 0 || v > 0o777) ? [field.invalid(path, v, FILE_MODE_MSG)] : [];
}

/** validatePathNoBacksteps: no ".." element. */
export function noBacksteps(p: string, path: string): FieldError[] {
  return p.replace(/\\/g, '/').split('/').includes('..') ? [field.invalid(path, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative and without "..". */
function localDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  errs.push(...noBacksteps(p, path));
  return errs;
}

/** ValidateLocalNonReservedPath: a local descending path that does not start with "..". */
function localNonReservedPath(p: string, path: string): FieldError[] {
  const errs = localDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(field.invalid(path, p, "must not start with '..'"));
  return errs;
}

function keyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (str(kp.key) === '') errs.push(field.required(`${path}.key`));
  if (str(kp.path) === '') errs.push(field.required(`${path}.path`));
  errs.push(...localNonReservedPath(str(kp.path), `${path}.path`));
  errs.push(...fileMode(kp.mode, `${path}.mode`));
  return errs;
}

function items(list: unknown, path: string): FieldError[] {
  return objs(list).flatMap((kp, i) => keyToPath(kp, `${path}[${i}]`));
}

/** Field labels ConvertDownwardAPIFieldLabel knows; a volume may only use the metadata ones. */
const CONVERTIBLE_FIELD_PATHS = [
  ...DOWNWARD_FIELD_PATHS,
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'spec.host',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

/** validateObjectFieldSelector with the volume's field paths. */
function volumeFieldRef(ref: Obj, path: string): FieldError[] {
  const fp = str(ref.fieldPath);
  if (str(ref.apiVersion) === '') return [field.required(`${path}.apiVersion`)];
  if (fp === '') return [field.required(`${path}.fieldPath`)];
  if (ref.apiVersion !== 'v1') return [field.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: unsupported pod version: ${str(ref.apiVersion)}`)];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fp);
  if (sub !== null) {
    const key = sub[1] === 'metadata.annotations' ? (sub[2] ?? '').toLowerCase() : (sub[2] ?? '');
    return isQualifiedName(key).map((m) => field.invalid(path, key, m));
  }
  if (!CONVERTIBLE_FIELD_PATHS.includes(fp)) return [field.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  const internal = fp === 'spec.host' ? 'spec.nodeName' : fp;
  return DOWNWARD_FIELD_PATHS.includes(internal) ? [] : [field.notSupported(`${path}.fieldPath`, internal, DOWNWARD_FIELD_PATHS)];
}

/** validateDownwardAPIVolumeFile (its errors sit on the source's path, not the item's: upstream's). */
function downwardFile(file: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (str(file.path) === '') errs.push(field.required(`${path}.path`));
  errs.push(...localNonReservedPath(str(file.path), `${path}.path`));
  if (isObj(file.fieldRef)) {
    errs.push(...volumeFieldRef(file.fieldRef, `${path}.fieldRef`));
    if (isObj(file.resourceFieldRef)) errs.push(field.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObj(file.resourceFieldRef)) {
    const rp = `${path}.resourceFieldRef`;
    const r = str(file.resourceFieldRef.resource);
    if (str(file.resourceFieldRef.containerName) === '') errs.push(field.required(`${rp}.containerName`));
    else if (r === '') errs.push(field.required(`${rp}.resource`));
    else if (!RESOURCE_FIELD_REFS.includes(r) && !/^(limits|requests)\.hugepages-/.test(r)) errs.push(field.notSupported(`${rp}.resource`, r, RESOURCE_FIELD_REFS));
  } else errs.push(field.required(path, 'one of fieldRef and resourceFieldRef is required'));
  errs.push(...fileMode(file.mode, `${path}.mode`));
  return errs;
}

/** The projected sources: one kind each, names present, no path projected twice. */
function projected(src: Obj, path: string): FieldError[] {
  const errs = fileMode(src.defaultMode, `${path}.defaultMode`);
  const paths = new Set<string>();
  const claim = (p: string, reported: unknown): void => {
    if (p === '') return;
    if (paths.has(p)) errs.push(field.invalid(path, reported, 'conflicting duplicate paths'));
    paths.add(p);
  };
  objs(src.sources).forEach((s, i) => {
    const sp = `${path}.sources[${i}]`;
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = s[kind];
      if (!isObj(ref)) continue;
      n++;
      if (str(ref.name) === '') errs.push(field.required(`${sp}.${kind}.name`));
      objs(ref.items).forEach((kp, j) => {
        errs.push(...keyToPath(kp, `${sp}.${kind}.items[${j}]`));
        claim(str(kp.path), str(ref.name));
      });
    }
    if (isObj(s.downwardAPI)) {
      n++;
      for (const f of objs(s.downwardAPI.items)) {
        errs.push(...downwardFile(f, `${sp}.downwardAPI`));
        claim(str(f.path), str(f.path));
      }
    }
    if (isObj(s.serviceAccountToken)) {
      n++;
      const t = s.serviceAccountToken;
      const exp = typeof t.expirationSeconds === 'number' ? t.expirationSeconds : 0;
      if (exp < 600) errs.push(field.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(field.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (str(t.path) === '') errs.push(field.required(`${path}.path`));
      else errs.push(...localNonReservedPath(str(t.path), `${path}.path`));
    }
    if (isObj(s.clusterTrustBundle)) {
      n++;
      const ctb = s.clusterTrustBundle;
      const cp = `${sp}.clusterTrustBundlePEM`;
      if (typeof ctb.name === 'string' && typeof ctb.signerName === 'string') errs.push(field.invalid(cp, ctb, 'only one of name and signerName may be used'));
      else if (typeof ctb.signerName === 'string') errs.push(...validateLabelSelector(ctb.labelSelector, `${cp}.labelSelector`));
      else if (typeof ctb.name !== 'string') errs.push(field.required(cp, 'either name or signerName must be specified'));
      if (str(ctb.path) === '') errs.push(field.required(`${cp}.path`));
      errs.push(...localNonReservedPath(str(ctb.path), `${cp}.path`));
      claim(str(ctb.path), str(ctb.path));
    }
    if (n > 1) errs.push(field.forbidden(sp, MORE_THAN_ONE));
  });
  return errs;
}

/** ValidateCSIDriverName: required, at most 63 characters, a DNS subdomain once lower-cased. */
export function validateCSIDriverName(name: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name === '') errs.push(field.required(path));
  if (Buffer.byteLength(name) > 63) errs.push(field.tooLong(path, 63));
  for (const m of isDNS1123Subdomain(name.toLowerCase())) errs.push(field.invalid(path, name, m));
  return errs;
}

/**
 * The volume sources in upstream's checking order: [field, path a second source is
 * reported at, path its own errors are reported at, checks]. The first present source is
 * the volume's type; every later one is "may not specify more than 1 volume type".
 */
const SOURCES: [string, string, string, SourceCheck][] = [
  ['emptyDir', 'emptyDir', 'emptyDir', (s, p) => emptyDir(s, p)],
  ['hostPath', 'hostPath', 'hostPath', (s, p) => hostPath(s, p)],
  ['gitRepo', 'gitRepo', 'gitRepo', (s, p) => [...required(s, ['repository'], p), ...localDescendingPath(str(s.directory), `${p}.directory`)]],
  ['gcePersistentDisk', 'gcePersistentDisk', 'persistentDisk', (s, p) => required(s, ['pdName'], p)],
  ['awsElasticBlockStore', 'awsElasticBlockStore', 'awsElasticBlockStore', (s, p) => required(s, ['volumeID'], p)],
  ['secret', 'secret', 'secret', (s, p) => [...required(s, ['secretName'], p), ...fileMode(s.defaultMode, `${p}.defaultMode`), ...items(s.items, `${p}.items`)]],
  ['nfs', 'nfs', 'nfs', (s, p) => nfs(s, p)],
  ['iscsi', 'iscsi', 'iscsi', (s, p) => required(s, ['targetPortal', 'iqn'], p)],
  ['glusterfs', 'glusterfs', 'glusterfs', (s, p) => required(s, ['endpoints', 'path'], p)],
  ['flocker', 'flocker', 'flocker', (s, p) => flocker(s, p)],
  ['persistentVolumeClaim', 'persistentVolumeClaim', 'persistentVolumeClaim', (s, p) => required(s, ['claimName'], p)],
  ['rbd', 'rbd', 'rbd', (s, p) => required(s, ['monitors', 'image'], p)],
  ['cinder', 'cinder', 'cinder', (s, p) => required(s, ['volumeID'], p)],
  ['cephfs', 'cephFS', 'cephfs', (s, p) => required(s, ['monitors'], p)],
  ['quobyte', 'quobyte', 'quobyte', (s, p) => required(s, ['registry', 'volume'], p)],
  ['downwardAPI', 'downwarAPI', 'downwardAPI', (s, p) => [...fileMode(s.defaultMode, `${p}.defaultMode`), ...objs(s.items).flatMap((f) => downwardFile(f, p))]],
  ['fc', 'fc', 'fc', (s, p) => fc(s, p)],
  ['flexVolume', 'flexVolume', 'flexVolume', (s, p) => required(s, ['driver'], p)],
  ['configMap', 'configMap', 'configMap', (s, p) => [...required(s, ['name'], p), ...fileMode(s.defaultMode, `${p}.defaultMode`), ...items(s.items, `${p}.items`)]],
  ['azureFile', 'azureFile', 'azureFile', (s, p) => required(s, ['secretName', 'shareName'], p)],
  ['vsphereVolume', 'vsphereVolume', 'vsphereVolume', (s, p) => required(s, ['volumePath'], p)],
  ['photonPersistentDisk', 'photonPersistentDisk', 'photonPersistentDisk', (s, p) => required(s, ['pdID'], p)],
  ['portworxVolume', 'portworxVolume', 'portworxVolume', (s, p) => required(s, ['volumeID'], p)],
  ['azureDisk', 'azureDisk', 'azureDisk', (s, p) => required(s, ['diskName', 'diskURI'], p)],
  ['storageos', 'storageos', 'storageos', (s, p) => required(s, ['volumeName'], p)],
  ['projected', 'projected', 'projected', (s, p) => projected(s, p)],
  ['scaleIO', 'scaleIO', 'scaleIO', (s, p) => required(s, ['gateway', 'system', 'volumeName'], p)],
  ['csi', 'csi', 'csi', (s, p) => csi(s, p)],
  ['ephemeral', 'ephemeral', 'ephemeral', (s, p) => (isObj(s.volumeClaimTemplate) ? [] : [field.required(`${p}.volumeClaimTemplate`)])],
];

function emptyDir(s: Obj, path: string): FieldError[] {
  const limit = s.sizeLimit;
  if (limit === undefined || limit === null) return [];
  try {
    if (compareQuantity(parseQuantity(String(limit)), '0') < 0) return [field.forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')];
  } catch {
    // An unparsable quantity is a decode error upstream; the value is left to the quantity checks.
  }
  return [];
}

export function hostPath(s: Obj, path: string): FieldError[] {
  const p = str(s.path);
  if (p === '') return [field.required(`${path}.path`)];
  const errs = noBacksteps(p, `${path}.path`);
  if (s.type !== undefined && s.type !== null && !HOST_PATH_TYPES.includes(str(s.type))) errs.push(field.notSupported(`${path}.type`, s.type, HOST_PATH_TYPES));
  return errs;
}

export function nfs(s: Obj, path: string): FieldError[] {
  const errs = required(s, ['server', 'path'], path);
  if (!str(s.path).startsWith('/')) errs.push(field.invalid(`${path}.path`, str(s.path), 'must be an absolute path'));
  return errs;
}

export function flocker(s: Obj, path: string): FieldError[] {
  const name = str(s.datasetName);
  const uuid = str(s.datasetUUID);
  const errs: FieldError[] = [];
  if (name === '' && uuid === '') errs.push(field.required(path, 'one of datasetName and datasetUUID is required'));
  if (name !== '' && uuid !== '') errs.push(field.invalid(path, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
  if (name.includes('/')) errs.push(field.invalid(`${path}.datasetName`, name, "must not contain '/'"));
  return errs;
}

export function fc(s: Obj, path: string): FieldError[] {
  const wwns = Array.isArray(s.targetWWNs) ? s.targetWWNs : [];
  const wwids = Array.isArray(s.wwids) ? s.wwids : [];
  const errs: FieldError[] = [];
  if (wwns.length === 0 && wwids.length === 0) errs.push(field.required(`${path}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
  if (wwns.length > 0 && wwids.length > 0) errs.push(field.invalid(`${path}.targetWWNs`, wwns, 'targetWWNs and wwids can not be specified simultaneously'));
  if (wwns.length > 0 && typeof s.lun !== 'number') errs.push(field.required(`${path}.lun`, 'lun is required if targetWWNs is specified'));
  return errs;
}

function csi(s: Obj, path: string): FieldError[] {
  const errs = validateCSIDriverName(str(s.driver), `${path}.driver`);
  if (isObj(s.nodePublishSecretRef)) {
    const name = str(s.nodePublishSecretRef.name);
    if (name === '') errs.push(field.required(`${path}.nodePublishSecretRef.name`));
    // Upstream reports a bad secret name at csi.name, not at the reference.
    else for (const m of isDNS1123Subdomain(name)) errs.push(field.invalid(`${path}.name`, name, m));
  }
  return errs;
}

function validateVolumeSource(v: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const [key, extraPath, ownPath, check] of SOURCES) {
    const src = v[key];
    if (src === undefined || src === null) continue;
    if (n > 0) {
      errs.push(field.forbidden(`${path}.${extraPath}`, MORE_THAN_ONE));
      continue;
    }
    n++;
    errs.push(...check(isObj(src) ? src : {}, `${path}.${ownPath}`));
  }
  // spec.volumes[*].image (ImageVolume) is alpha and off in 1.32: upstream drops the field, so it is no type.
  if (n === 0) errs.push(field.required(path, 'must specify a volume type'));
  return errs;
}

/**
 * ValidateVolumes: each volume has exactly one valid source and a unique DNS-1123 label
 * name. Returns the names of the volumes without errors, which are the ones mounts may
 * refer to (upstream leaves an erroneous volume out of that map as well).
 */
export function validateVolumes(volumes: unknown, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  objs(volumes).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const name = str(v.name);
    const el = validateVolumeSource(v, p);
    if (name === '') el.push(field.required(`${p}.name`));
    else for (const m of isDNS1123Label(name)) el.push(field.invalid(`${p}.name`, name, m));
    if (names.has(name)) el.push(field.duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

/** ValidateVolumeMounts: each mount names a known volume, a unique mountPath, sane subPaths. */
export function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string, privileged: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  objs(mounts).forEach((m, i) => {
    const p = `${path}[${i}]`;
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (name === '') errs.push(field.required(`${p}.name`));
    if (!volumes.has(name)) errs.push(field.notFound(`${p}.name`, name));
    if (mountPath === '') errs.push(field.required(`${p}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(field.invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (subPath !== '') errs.push(...localDescendingPath(subPath, `${path}.subPath`));
    if (subPathExpr !== '') {
      if (subPath !== '') errs.push(field.invalid(`${p}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...localDescendingPath(subPathExpr, `${path}.subPathExpr`));
    }
    const prop = m.mountPropagation;
    if (prop !== undefined && prop !== null) {
      if (!MOUNT_PROPAGATIONS.includes(str(prop))) errs.push(field.notSupported(`${p}.mountPropagation`, prop, MOUNT_PROPAGATIONS));
      if (prop === 'Bidirectional' && !privileged) errs.push(field.forbidden(`${p}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
    }
    const rro = m.recursiveReadOnly;
    if (rro !== undefined && rro !== null && rro !== 'Disabled') {
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (m.readOnly !== true) errs.push(field.forbidden(`${p}.recursiveReadOnly`, 'may only be specified when readOnly is true'));
        if (prop !== undefined && prop !== null && prop !== 'None') {
          errs.push(field.forbidden(`${p}.recursiveReadOnly`, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else errs.push(field.notSupported(`${p}.recursiveReadOnly`, rro, RECURSIVE_READ_ONLY));
    }
  });
  return errs;
}
