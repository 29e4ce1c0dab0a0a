/**
 * Defaults for the core (v1) kinds, as upstream's pkg/apis/core/v1/defaults.go plus
 * the few fields upstream fills in the registry or in admission (a pod's priority and
 * preemptionPolicy, a service's IP family fields).
 */
import { child, isObj, objs, setDefault, setDefaultStr, type Obj } from './util.js';

/** "Always" for an image with the tag latest or without a tag (and no digest), else "IfNotPresent". */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const lastPart = image.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastPart.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

export function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isObj(p.httpGet)) {
    setDefaultStr(p.httpGet, 'path', '/');
    setDefaultStr(p.httpGet, 'scheme', 'HTTP');
  }
}

function defaultLifecycleHandler(h: unknown): void {
  if (isObj(h) && isObj(h.httpGet)) {
    setDefaultStr(h.httpGet, 'path', '/');
    setDefaultStr(h.httpGet, 'scheme', 'HTTP');
  }
}

function defaultEnv(env: unknown): void {
  for (const e of objs(env)) {
    const fr = isObj(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
    if (isObj(fr)) setDefaultStr(fr, 'apiVersion', 'v1');
  }
}

export function defaultContainer(c: Obj): void {
  setDefaultStr(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefaultStr(c, 'terminationMessagePath', '/dev/termination-log');
  setDefaultStr(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  for (const p of objs(c.ports)) setDefaultStr(p, 'protocol', 'TCP');
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultLifecycleHandler(c.lifecycle.postStart);
    defaultLifecycleHandler(c.lifecycle.preStop);
  }
  defaultEnv(c.env);
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

/**
 * The defaults of the volume sources a pod volume and a PersistentVolume share
 * (SetDefaults_HostPathVolumeSource, _RBDVolumeSource, _ISCSIVolumeSource, ...).
 */
function defaultVolumeSourceFields(v: Obj): void {
  if (isObj(v.hostPath)) setDefault(v.hostPath, 'type', '');
  if (isObj(v.scaleIO)) {
    setDefaultStr(v.scaleIO, 'storageMode', 'ThinProvisioned');
    setDefaultStr(v.scaleIO, 'fsType', 'xfs');
  }
  if (isObj(v.iscsi)) setDefaultStr(v.iscsi, 'iscsiInterface', 'default');
  if (isObj(v.rbd)) {
    setDefaultStr(v.rbd, 'pool', 'rbd');
    setDefaultStr(v.rbd, 'user', 'admin');
    setDefaultStr(v.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (isObj(v.azureDisk)) {
    setDefaultStr(v.azureDisk, 'cachingMode', 'ReadWrite');
    setDefaultStr(v.azureDisk, 'fsType', 'ext4');
    setDefault(v.azureDisk, 'readOnly', false);
    setDefaultStr(v.azureDisk, 'kind', 'Shared');
  }
}

export function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObj(v[s])) setDefault(v[s], 'defaultMode', 420);
  }
  defaultVolumeSourceFields(v);
  // SetDefaults_ObjectFieldSelector reaches every fieldRef, the volumes' ones included.
  const files = [...objs(isObj(v.downwardAPI) ? v.downwardAPI.items : undefined)];
  for (const src of objs(isObj(v.projected) ? v.projected.sources : undefined)) {
    if (isObj(src.downwardAPI)) files.push(...objs(src.downwardAPI.items));
    if (isObj(src.serviceAccountToken)) setDefault(src.serviceAccountToken, 'expirationSeconds', 3600);
  }
  for (const f of files) if (isObj(f.fieldRef)) setDefaultStr(f.fieldRef, 'apiVersion', 'v1');
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate) && isObj(v.ephemeral.volumeClaimTemplate.spec)) {
    defaultPVCSpec(v.ephemeral.volumeClaimTemplate.spec);
  }
}

/** SetDefaults_PodSpec and the container/volume defaults under it. */
export function defaultPodSpec(spec: Obj): void {
  setDefaultStr(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultStr(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultStr(spec, 'schedulerName', 'default-scheduler');
  if (spec.hostNetwork === true) {
    // With host networking a container port is a host port.
    for (const c of [...objs(spec.initContainers), ...objs(spec.containers)]) {
      for (const p of objs(c.ports)) if (p.hostPort === undefined || p.hostPort === 0) p.hostPort = p.containerPort;
    }
  }
  for (const c of objs(spec.initContainers)) defaultContainer(c);
  for (const c of objs(spec.containers)) defaultContainer(c);
  for (const c of objs(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of objs(spec.volumes)) defaultVolume(v);
}

/** SetDefaults_Pod: the pod-only extras (requests from limits, enableServiceLinks, priority). */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  for (const c of [...objs(spec.initContainers), ...objs(spec.containers)]) {
    // A container with limits but no requests gets requests equal to the limits.
    const res = isObj(c.resources) ? c.resources : undefined;
    if (res !== undefined && isObj(res.limits)) {
      const req = child(res, 'requests');
      for (const [k, v] of Object.entries(res.limits)) if (req[k] === undefined) req[k] = v;
    }
  }
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  // Upstream's Priority admission plugin: no priorityClassName -> priority 0 and PreemptLowerPriority.
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  if (spec.priorityClassName === undefined || spec.priorityClassName === '') setDefault(spec, 'priority', 0);
}

export function defaultPodTemplateSpec(template: unknown): void {
  if (!isObj(template)) return;
  defaultPodSpec(child(template, 'spec'));
}

export function defaultReplicationController(rc: Obj): void {
  const spec = child(rc, 'spec');
  const tmplLabels = isObj(spec.template) && isObj(spec.template.metadata) && isObj(spec.template.metadata.labels) ? spec.template.metadata.labels : undefined;
  if (tmplLabels !== undefined) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...tmplLabels };
    const meta = child(rc, 'metadata');
    if (!isObj(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...tmplLabels };
  }
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(spec.template);
}

export function defaultPodTemplate(pt: Obj): void {
  defaultPodTemplateSpec(pt.template);
}

export function defaultService(svc: Obj): void {
  const spec = child(svc, 'spec');
  setDefaultStr(spec, 'sessionAffinity', 'None');
  setDefaultStr(spec, 'type', 'ClusterIP');
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = child(spec, 'sessionAffinityConfig');
    const cip = child(cfg, 'clientIP');
    setDefault(cip, 'timeoutSeconds', 10800);
  }
  for (const p of objs(spec.ports)) {
    setDefaultStr(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const t = spec.type;
  if ((t === 'NodePort' || t === 'LoadBalancer') && (spec.externalTrafficPolicy === undefined || spec.externalTrafficPolicy === '')) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  if (t !== 'ExternalName') {
    setDefaultStr(spec, 'internalTrafficPolicy', 'Cluster');
    // Single-stack IPv4 cluster: the registry fills the family fields for every IP-bearing service.
    setDefaultStr(spec, 'ipFamilyPolicy', 'SingleStack');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
  if (t === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
}

export function defaultSecret(s: Obj): void {
  setDefaultStr(s, 'type', 'Opaque');
}

export function defaultPVCSpec(spec: Obj): void {
  setDefaultStr(spec, 'volumeMode', 'Filesystem');
}

export function defaultPVC(pvc: Obj): void {
  defaultPVCSpec(child(pvc, 'spec'));
  const status = child(pvc, 'status');
  setDefaultStr(status, 'phase', 'Pending');
}

export function defaultPV(pv: Obj): void {
  const spec = child(pv, 'spec');
  setDefaultStr(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefaultStr(spec, 'volumeMode', 'Filesystem');
  defaultVolumeSourceFields(spec);
  const status = child(pv, 'status');
  setDefaultStr(status, 'phase', 'Pending');
}

export function defaultNamespace(ns: Obj): void {
  const status = child(ns, 'status');
  setDefaultStr(status, 'phase', 'Active');
}

export function defaultEndpoints(ep: Obj): void {
  for (const s of objs(ep.subsets)) for (const p of objs(s.ports)) setDefaultStr(p, 'protocol', 'TCP');
}

export function defaultLimitRange(lr: Obj): void {
  const spec = isObj(lr.spec) ? lr.spec : undefined;
  for (const item of objs(spec?.limits)) {
    if (item.type !== 'Container') continue;
    // Default limits from max, defaultRequest from default (then max), as upstream.
    if (isObj(item.max)) {
      const def = child(item, 'default');
      for (const [k, v] of Object.entries(item.max)) if (def[k] === undefined) def[k] = v;
    }
    if (isObj(item.default)) {
      const dr = child(item, 'defaultRequest');
      for (const [k, v] of Object.entries(item.default)) if (dr[k] === undefined) dr[k] = v;
    }
    if (isObj(item.min)) {
      const dr = child(item, 'defaultRequest');
      for (const [k, v] of Object.entries(item.min)) if (dr[k] === undefined) dr[k] = v;
    }
  }
}
