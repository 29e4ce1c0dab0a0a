/**
 * Printers for core (v1) kinds other than Pod. Where upstream's stored objects would
 * always carry a default (Service type, port protocol, replicas, PV reclaim policy,
 * volume mode, Secret type, Namespace phase), the printer assumes that default when the
 * field is absent, so a not-yet-defaulted object prints as the defaulted one would.
 */
import { age, parseTimestamp } from './duration.js';
import {
  accessModes,
  arr,
  containerCells,
  findCondition,
  formatLabels,
  joinHostPort,
  meta,
  nameOf,
  num,
  obj,
  optObj,
  sortedSet,
  str,
  templateContainers,
  byteOrder,
} from './format.js';
import { formatQuantity } from './quantity.js';
import { ageColumn, col, containersColumn, imagesColumn, nameColumn, wide, NAME_DESCRIPTION } from './columns.js';
import type { KObject } from '../registry/strategy.js';
import type { Printer } from './types.js';

const created = (o: KObject, now: number): string => age(meta(o).creationTimestamp, now);

export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells(o) {
    const template = obj(o.template);
    const [names, images] = containerCells(templateContainers(template));
    return [nameOf(o), names, images, formatLabels(obj(template.metadata).labels)];
  },
};

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replication controller.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    wide('Selector', 'string', 'Selector is a label query over pods that should match the Replicas count.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const [names, images] = containerCells(templateContainers(spec.template));
    return [
      nameOf(o),
      num(spec.replicas, 1),
      num(status.replicas),
      num(status.readyReplicas),
      created(o, now),
      names,
      images,
      formatLabels(spec.selector),
    ];
  },
};

/** Load-balancer ingress points (IPs, else hostnames), sorted and de-duplicated, comma-joined. */
export function loadBalancerIngress(status: unknown): string {
  const points: string[] = [];
  for (const i of arr(obj(status).ingress)) {
    const ing = obj(i);
    if (str(ing.ip) !== '') points.push(str(ing.ip));
    else if (str(ing.hostname) !== '') points.push(str(ing.hostname));
  }
  // The server prints wide, so upstream's 16-character clipping does not apply.
  return sortedSet(points).join(',');
}

function serviceExternalIP(svc: KObject, type: string): string {
  const spec = obj(svc.spec);
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(obj(obj(svc.status).loadBalancer));
      if (externalIPs.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...externalIPs].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** "80/TCP,443:30443/TCP": port, node port when allocated, protocol. */
export function servicePorts(ports: unknown): string {
  return arr(ports)
    .map(obj)
    .map((p) => {
      const protocol = str(p.protocol) || 'TCP';
      const nodePort = num(p.nodePort);
      return nodePort > 0 ? `${num(p.port)}:${nodePort}/${protocol}` : `${num(p.port)}/${protocol}`;
    })
    .join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Type', 'string', 'type determines how the Service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service, usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs and load-balancer ingress points through which the service is reachable.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    wide('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const type = str(spec.type) || 'ClusterIP';
    const clusterIPs = arr(spec.clusterIPs).map(str);
    let clusterIP = '<none>';
    if (clusterIPs.length > 0) clusterIP = clusterIPs[0] ?? '';
    else if (str(spec.clusterIP) !== '') clusterIP = str(spec.clusterIP);
    return [
      nameOf(o),
      type,
      clusterIP,
      serviceExternalIP(o, type),
      servicePorts(spec.ports) || '<none>',
      created(o, now),
      formatLabels(spec.selector),
    ];
  },
};

/** ENDPOINTS of an Endpoints object: up to three "ip:port", then "+ N more...". */
export function formatEndpoints(endpoints: KObject): string {
  const subsets = arr(endpoints.subsets).map(obj);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss.addresses).map(obj);
    const ports = arr(ss.ports).map(obj);
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(str(a.ip));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(joinHostPort(str(a.ip), num(port.port)));
      }
    }
  }
  const joined = list.join(',');
  return count > max ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageColumn(),
  ],
  cells(o, now) {
    return [nameOf(o), formatEndpoints(o), created(o, now)];
  },
};

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** Roles from node-role.kubernetes.io/<role> label keys and the kubernetes.io/role label value, sorted. */
export function nodeRoles(node: KObject): string[] {
  const labels = obj(meta(node).labels);
  const roles: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role !== '') roles.push(role);
    } else if (k === NODE_ROLE_LABEL && str(v) !== '') {
      roles.push(str(v));
    }
  }
  return sortedSet(roles);
}

function nodeAddress(node: KObject, type: string): string {
  for (const a of arr(obj(node.status).addresses)) {
    const addr = obj(a);
    if (addr.type === type) return str(addr.address);
  }
  return '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'string', 'List of addresses reachable to the node.'),
    wide('External-IP', 'string', 'List of addresses reachable to the node.'),
    wide('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    wide('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    wide('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  cells(o, now) {
    const status = obj(o.status);
    const states: string[] = [];
    const ready = findCondition(status.conditions, 'Ready');
    if (ready) states.push(ready.status === 'True' ? 'Ready' : 'NotReady');
    if (states.length === 0) states.push('Unknown');
    if (obj(o.spec).unschedulable === true) states.push('SchedulingDisabled');
    const roles = nodeRoles(o).join(',');
    const info = obj(status.nodeInfo);
    return [
      nameOf(o),
      states.join(','),
      roles || '<none>',
      created(o, now),
      str(info.kubeletVersion),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

/** The fields the event printer reads, from a core/v1 or an events.k8s.io/v1 Event. */
interface EventView {
  involvedObject: Record<string, any>;
  reason: string;
  message: string;
  type: string;
  component: string;
  host: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: Record<string, any> | undefined;
  reportingController: string;
  reportingInstance: string;
}

function coreEventView(e: KObject): EventView {
  const source = obj(e.source);
  return {
    involvedObject: obj(e.involvedObject),
    reason: str(e.reason),
    message: str(e.message),
    type: str(e.type),
    component: str(source.component),
    host: str(source.host),
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    eventTime: e.eventTime,
    count: num(e.count),
    series: optObj(e.series),
    reportingController: str(e.reportingComponent),
    reportingInstance: str(e.reportingInstance),
  };
}

function eventsV1View(e: KObject): EventView {
  const source = obj(e.deprecatedSource);
  return {
    involvedObject: obj(e.regarding),
    reason: str(e.reason),
    message: str(e.note),
    type: str(e.type),
    component: str(source.component),
    host: str(source.host),
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    eventTime: e.eventTime,
    count: num(e.deprecatedCount),
    series: optObj(e.series),
    reportingController: str(e.reportingController),
    reportingInstance: str(e.reportingInstance),
  };
}

function since(ts: unknown, now: number): string {
  return age(typeof ts === 'string' ? ts : undefined, now);
}

function eventCells(e: KObject, v: EventView, now: number): unknown[] {
  const first = parseTimestamp(v.firstTimestamp) === undefined ? since(v.eventTime, now) : since(v.firstTimestamp, now);
  let last = parseTimestamp(v.lastTimestamp) === undefined ? first : since(v.lastTimestamp, now);
  let count = v.count;
  if (v.series) {
    last = since(v.series.lastObservedTime, now);
    count = num(v.series.count);
  } else if (count === 0) {
    count = 1; // singleton events of the new API carry no count
  }
  const kind = str(v.involvedObject.kind).toLowerCase();
  const target = str(v.involvedObject.name) !== '' ? `${kind}/${str(v.involvedObject.name)}` : kind;
  const component = v.component || v.reportingController;
  const host = v.host || v.reportingInstance;
  const source = host === '' ? component : `${component}, ${host}`;
  return [last, v.type, v.reason, target, str(v.involvedObject.fieldPath), source, v.message.trim(), first, count, nameOf(e)];
}

const eventColumns = () => [
  col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  col('Object', 'string', 'The object that this event is about.'),
  wide('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, the path of that piece (e.g. spec.containers{name}).'),
  wide('Source', 'string', 'The component reporting this event.'),
  col('Message', 'string', 'A human-readable description of the status of this operation.'),
  wide('First Seen', 'string', 'The time at which the event was first recorded.'),
  wide('Count', 'string', 'The number of times this event has occurred.'),
  wide('Name', 'string', NAME_DESCRIPTION, { format: 'name' }),
];

/**
 * Events, core/v1. Upstream puts LAST SEEN first and the Name column last (wide only),
 * the one built-in printer whose first column is not Name.
 */
export const eventPrinter: Printer = {
  columns: eventColumns(),
  cells(o, now) {
    return eventCells(o, coreEventView(o), now);
  },
};

/** events.k8s.io/v1 Events print through the same columns (upstream converts them to the core shape). */
export const eventsV1Printer: Printer = {
  columns: eventColumns(),
  cells(o, now) {
    return eventCells(o, eventsV1View(o), now);
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn(), col('Status', 'string', 'The status of the namespace'), ageColumn()],
  cells(o, now) {
    return [nameOf(o), str(obj(o.status).phase) || 'Active', created(o, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'The number of keys in data.'),
    ageColumn(),
  ],
  cells(o, now) {
    return [nameOf(o), str(o.type) || 'Opaque', Object.keys(obj(o.data)).length, created(o, now)];
  },
};

export const configMapPrinter: Printer = {
  columns: [nameColumn(), col('Data', 'string', 'The number of keys in data and binaryData.'), ageColumn()],
  cells(o, now) {
    return [nameOf(o), Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, created(o, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn(), col('Secrets', 'string', 'The number of secrets listed in secrets.'), ageColumn()],
  cells(o, now) {
    return [nameOf(o), arr(o.secrets).length, created(o, now)];
  },
};

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

function storageClassOf(o: KObject, specClass: unknown): string {
  const annotations = obj(meta(o).annotations);
  if (Object.hasOwn(annotations, BETA_STORAGE_CLASS_ANNOTATION)) return str(annotations[BETA_STORAGE_CLASS_ANNOTATION]);
  return str(specClass);
}

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure.'),
    ageColumn(),
    wide('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const claimRef = optObj(spec.claimRef);
    const claim = claimRef ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '';
    const phase = meta(o).deletionTimestamp ? 'Terminating' : str(status.phase) || 'Pending';
    return [
      nameOf(o),
      formatQuantity(obj(spec.capacity).storage),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy) || 'Retain',
      phase,
      claim,
      storageClassOf(o, spec.storageClassName),
      typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
      str(status.reason),
      created(o, now),
      str(spec.volumeMode) || 'Filesystem',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    wide('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const phase = meta(o).deletionTimestamp ? 'Terminating' : str(status.phase) || 'Pending';
    const volumeName = str(spec.volumeName);
    const capacity = volumeName !== '' ? formatQuantity(obj(status.capacity).storage) : '';
    const modes = volumeName !== '' ? accessModes(status.accessModes) : '';
    return [
      nameOf(o),
      phase,
      volumeName,
      capacity,
      modes,
      storageClassOf(o, spec.storageClassName),
      typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
      created(o, now),
      str(spec.volumeMode) || 'Filesystem',
    ];
  },
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn(),
  ],
  cells(o, now) {
    const status = obj(o.status);
    const hard = obj(status.hard);
    const used = obj(status.used);
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort(byteOrder)) {
      const entry = `${resource}: ${formatQuantity(used[resource])}/${formatQuantity(hard[resource])}`;
      const pieces = resource.split('.');
      if (pieces.length > 1 && pieces[0] === 'limits') limits.push(entry);
      else requests.push(entry);
    }
    return [nameOf(o), requests.join(', '), limits.join(', '), created(o, now)];
  },
};

export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ],
  cells(o) {
    let status = 'Unknown';
    let message = '';
    let error = '';
    const healthy = findCondition(o.conditions, 'Healthy');
    if (healthy) {
      status = healthy.status === 'True' ? 'Healthy' : 'Unhealthy';
      message = str(healthy.message);
      error = str(healthy.error);
    }
    return [nameOf(o), status, message, error];
  },
};
