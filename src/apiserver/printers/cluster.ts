/**
 * Printers for the remaining built-in groups: networking, discovery, storage, rbac,
 * certificates, coordination, scheduling, node, admissionregistration, flowcontrol,
 * apiregistration, resource (DRA) and internal kinds.
 */
import { age, humanDuration } from './duration.js';
import {
  arr,
  findCondition,
  formatLabelSelector,
  labelSelectorString,
  listWithMore,
  meta,
  nameOf,
  num,
  obj,
  str,
} from './format.js';
import { formatQuantity } from './quantity.js';
import { loadBalancerIngress } from './core.js';
import { ageColumn, col, nameColumn, wide } from './columns.js';
import type { KObject } from '../registry/strategy.js';
import type { Printer } from './types.js';

const created = (o: KObject, now: number): string => age(meta(o).creationTimestamp, now);
const present = (v: unknown): boolean => v !== undefined && v !== null;

// ---- networking.k8s.io -------------------------------------------------------------

/** HOSTS: up to three rule hosts, "*" when none, "+ N more..." counting all rules. */
function ingressHosts(rules: unknown): string {
  const list: string[] = [];
  const all = arr(rules).map(obj);
  const max = 3;
  let more = false;
  for (const rule of all) {
    if (list.length === max) more = true;
    if (!more && str(rule.host) !== '') list.push(str(rule.host));
  }
  if (list.length === 0) return '*';
  const joined = list.join(',');
  return more ? `${joined} + ${all.length - max} more...` : joined;
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    return [
      nameOf(o),
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
      ingressHosts(spec.rules),
      loadBalancerIngress(obj(obj(o.status).loadBalancer)),
      arr(spec.tls).length > 0 ? '80, 443' : '80',
      created(o, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    let parameters = '<none>';
    if (present(spec.parameters)) {
      const p = obj(spec.parameters);
      parameters = str(p.kind);
      if (typeof p.apiGroup === 'string') parameters += `.${p.apiGroup}`;
      parameters += `/${str(p.name)}`;
    }
    return [nameOf(o), str(spec.controller), parameters, created(o, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'),
    ageColumn(),
  ],
  cells(o, now) {
    // spec.podSelector is a value (never nil) upstream: an empty one prints "<none>".
    return [nameOf(o), formatLabelSelector(obj(obj(o.spec).podSelector)), created(o, now)];
  },
};

export const serviceCIDRPrinter: Printer = {
  columns: [nameColumn(), col('CIDRs', 'string', 'CIDRs defines the IP blocks in CIDR notation.'), ageColumn()],
  cells(o, now) {
    return [nameOf(o), arr(obj(o.spec).cidrs).map(str).join(','), created(o, now)];
  },
};

export const ipAddressPrinter: Printer = {
  columns: [nameColumn(), col('ParentRef', 'string', 'ParentRef references the resource that an IPAddress is attached to.')],
  cells(o) {
    const spec = obj(o.spec);
    let parent = '<none>';
    if (present(spec.parentRef)) {
      const p = obj(spec.parentRef);
      const gr = str(p.group) === '' ? str(p.resource) : `${str(p.resource)}.${str(p.group)}`;
      parent = gr.toLowerCase();
      if (str(p.namespace) !== '') parent += `/${str(p.namespace)}`;
      parent += `/${str(p.name)}`;
    }
    // Upstream also appends an age cell that has no column; we keep cells and columns in step.
    return [nameOf(o), parent];
  },
};

// ---- discovery.k8s.io --------------------------------------------------------------

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  cells(o, now) {
    const ports = arr(o.ports)
      .map(obj)
      .map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*'));
    const addresses = arr(o.endpoints).flatMap((e) => arr(obj(e).addresses).map(str));
    return [nameOf(o), str(o.addressType), listWithMore(ports, 3), listWithMore(addresses, 3), created(o, now)];
  },
};

// ---- storage.k8s.io ----------------------------------------------------------------

function isDefaultClass(o: KObject, annotations: string[]): boolean {
  const a = obj(meta(o).annotations);
  return annotations.some((k) => a[k] === 'true');
}

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    col('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    col('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  cells(o, now) {
    let name = nameOf(o);
    if (isDefaultClass(o, ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'])) {
      name += ' (default)';
    }
    return [
      name,
      str(o.provisioner),
      str(o.reclaimPolicy) || 'Delete',
      str(o.volumeBindingMode) || 'Immediate',
      o.allowVolumeExpansion === true,
      created(o, now),
    ];
  },
};

export const volumeAttributesClassPrinter: Printer = {
  columns: [nameColumn(), col('DriverName', 'string', 'Name of the CSI driver.'), ageColumn()],
  cells(o, now) {
    let name = nameOf(o);
    if (isDefaultClass(o, ['volumeattributesclass.kubernetes.io/is-default-class'])) name += ' (default)';
    return [name, str(o.driverName), created(o, now)];
  },
};

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn(),
    col('AttachRequired', 'boolean', 'attachRequired indicates this CSI volume driver requires an attach operation.'),
    col('PodInfoOnMount', 'boolean', 'podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.'),
    col('StorageCapacity', 'boolean', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider storage capacity.'),
    col('TokenRequests', 'string', 'tokenRequests indicates the CSI driver needs pods service account tokens it is mounting volume for.'),
    col('RequiresRepublish', 'boolean', 'requiresRepublish indicates the CSI driver wants NodePublishVolume being periodically called.'),
    col('Modes', 'string', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const modes = arr(spec.volumeLifecycleModes).map(str).join(',');
    const tokenRequests = Array.isArray(spec.tokenRequests)
      ? spec.tokenRequests.map((t: unknown) => str(obj(t).audience)).join(',')
      : '<unset>';
    return [
      nameOf(o),
      typeof spec.attachRequired === 'boolean' ? spec.attachRequired : true,
      spec.podInfoOnMount === true,
      spec.storageCapacity === true,
      tokenRequests,
      spec.requiresRepublish === true,
      modes || '<none>',
      created(o, now),
    ];
  },
};

export const csiNodePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'),
    ageColumn(),
  ],
  cells(o, now) {
    return [nameOf(o), arr(obj(o.spec).drivers).length, created(o, now)];
  },
};

export const csiStorageCapacityPrinter: Printer = {
  columns: [
    nameColumn(),
    col('StorageClassName', 'string', 'storageClassName represents the name of the StorageClass that the reported capacity applies to.'),
    col('Capacity', 'string', 'capacity is the value reported by the CSI driver in its GetCapacityResponse.'),
  ],
  cells(o) {
    return [nameOf(o), str(o.storageClassName), present(o.capacity) ? formatQuantity(o.capacity) : '<unset>'];
  },
};

export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn(),
    // Upstream marks this column with format "name" as well.
    col('Attacher', 'string', 'attacher indicates the name of the volume driver that MUST handle this request.', { format: 'name' }),
    col('PV', 'string', 'persistentVolumeName represents the name of the persistent volume to attach.'),
    col('Node', 'string', 'nodeName represents the node that the volume should be attached to.'),
    col('Attached', 'boolean', 'attached indicates the volume is successfully attached.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    return [
      nameOf(o),
      str(spec.attacher),
      str(obj(spec.source).persistentVolumeName),
      str(spec.nodeName),
      obj(o.status).attached === true,
      created(o, now),
    ];
  },
};

// ---- rbac.authorization.k8s.io -----------------------------------------------------

function subjectColumns(subjects: unknown): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr(subjects).map(obj)) {
    if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string): Printer {
  return {
    columns: [
      nameColumn(),
      col('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      ageColumn(),
      wide('Users', 'string', `Users in the ${what}`),
      wide('Groups', 'string', `Groups in the ${what}`),
      wide('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`),
    ],
    cells(o, now) {
      const ref = obj(o.roleRef);
      return [nameOf(o), `${str(ref.kind)}/${str(ref.name)}`, created(o, now), ...subjectColumns(o.subjects)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

// ---- certificates.k8s.io -----------------------------------------------------------

/** CONDITION: Denied, else Approved, else Pending; then ",Failed" and ",Issued". */
function csrCondition(o: KObject): string {
  const status = obj(o.status);
  const types = new Set(arr(status.conditions).map((c) => obj(c).type));
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (str(status.certificate) !== '') out += ',Issued';
  return out;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn(),
    ageColumn(),
    col('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
    col('Requestor', 'string', 'The user that created the request.'),
    col('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    col('Condition', 'string', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const duration = typeof spec.expirationSeconds === 'number' ? humanDuration(spec.expirationSeconds * 1000) : '<none>';
    return [nameOf(o), created(o, now), str(spec.signerName) || '<none>', str(spec.username), duration, csrCondition(o)];
  },
};

export const clusterTrustBundlePrinter: Printer = {
  columns: [nameColumn(), col('SignerName', 'string', 'signerName indicates the associated signer, if any.')],
  cells(o) {
    return [nameOf(o), str(obj(o.spec).signerName) || '<none>'];
  },
};

// ---- coordination.k8s.io -----------------------------------------------------------

export const leasePrinter: Printer = {
  columns: [nameColumn(), col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  cells(o, now) {
    return [nameOf(o), str(obj(o.spec).holderIdentity), created(o, now)];
  },
};

export const leaseCandidatePrinter: Printer = {
  columns: [
    nameColumn(),
    col('LeaseName', 'string', 'LeaseName is the name of the lease for which this candidate is contending.'),
    col('BinaryVersion', 'string', 'BinaryVersion is the binary version.'),
    col('EmulationVersion', 'string', 'EmulationVersion is the emulation version.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    return [nameOf(o), str(spec.leaseName), str(spec.binaryVersion), str(spec.emulationVersion), created(o, now)];
  },
};

// ---- scheduling.k8s.io, node.k8s.io ------------------------------------------------

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Value', 'integer', 'value represents the integer value of this priority class.'),
    col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'),
    ageColumn(),
    // Upstream leaves this column at priority 0 although it fills it only for wide output.
    col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells(o, now) {
    return [nameOf(o), num(o.value), o.globalDefault === true, created(o, now), str(o.preemptionPolicy) || 'PreemptLowerPriority'];
  },
};

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn(), col('Handler', 'string', 'handler specifies the underlying runtime and configuration that the CRI implementation will use.'), ageColumn()],
  cells(o, now) {
    return [nameOf(o), str(o.handler), created(o, now)];
  },
};

// ---- admissionregistration.k8s.io --------------------------------------------------

export function webhookConfigurationPrinter(): Printer {
  return {
    columns: [
      nameColumn(),
      col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'),
      ageColumn(),
    ],
    cells(o, now) {
      return [nameOf(o), arr(o.webhooks).length, created(o, now)];
    },
  };
}

function paramKind(spec: Record<string, any>): string {
  if (!present(spec.paramKind)) return '<unset>';
  const pk = obj(spec.paramKind);
  return `${str(pk.apiVersion)}/${str(pk.kind)}`;
}

export function admissionPolicyPrinter(countField: 'validations' | 'mutations'): Printer {
  const [title, doc] =
    countField === 'validations'
      ? ['Validations', 'Validations indicates the number of validation rules defined in this configuration']
      : ['Mutations', 'Mutation indicates the number of mutations rules defined in this configuration'];
  return {
    columns: [
      nameColumn(),
      col(title, 'integer', doc),
      col('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
      ageColumn(),
    ],
    cells(o, now) {
      const spec = obj(o.spec);
      return [nameOf(o), arr(spec[countField]).length, paramKind(spec), created(o, now)];
    },
  };
}

export const admissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn(),
    col('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    col('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    let param = '<unset>';
    if (present(spec.paramRef)) {
      const pr = obj(spec.paramRef);
      if (str(pr.name) !== '') param = str(pr.namespace) !== '' ? `${str(pr.namespace)}/${str(pr.name)}` : `*/${str(pr.name)}`;
      else if (present(pr.selector)) param = labelSelectorString(pr.selector) ?? '';
    }
    return [nameOf(o), str(spec.policyName), param, created(o, now)];
  },
};

// ---- flowcontrol.apiserver.k8s.io --------------------------------------------------

export const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn(),
    col('PriorityLevel', 'string', '`name` is the name of the priority level configuration being referenced.'),
    col('MatchingPrecedence', 'string', '`matchingPrecedence` is used to choose among the FlowSchemas that match a given request.'),
    col('DistinguisherMethod', 'string', '`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema.'),
    ageColumn(),
    col('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const dm = present(spec.distinguisherMethod) ? str(obj(spec.distinguisherMethod).type) : '<none>';
    const dangling = findCondition(obj(o.status).conditions, 'Dangling');
    return [
      nameOf(o),
      str(obj(spec.priorityLevelConfiguration).name),
      num(spec.matchingPrecedence),
      dm,
      created(o, now),
      dangling ? str(dangling.status) : '?',
    ];
  },
};

export const priorityLevelConfigurationPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Type', 'string', '`type` indicates whether this priority level is subject to limitation on request execution.'),
    col('NominalConcurrencyShares', 'string', '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.'),
    col('Queues', 'string', '`queues` is the number of queues for this priority level.'),
    col('HandSize', 'string', '`handSize` is a small positive number that configures the shuffle sharding of requests into queues.'),
    col('QueueLengthLimit', 'string', '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    let ncs: unknown = '<none>';
    let queues: unknown = '<none>';
    let handSize: unknown = '<none>';
    let queueLengthLimit: unknown = '<none>';
    if (present(spec.limited)) {
      const limited = obj(spec.limited);
      ncs = num(limited.nominalConcurrencyShares, 30);
      const queuing = obj(limited.limitResponse).queuing;
      if (present(queuing)) {
        const q = obj(queuing);
        queues = num(q.queues, 64);
        handSize = num(q.handSize, 8);
        queueLengthLimit = num(q.queueLengthLimit, 50);
      }
    }
    return [nameOf(o), str(spec.type), ncs, queues, handSize, queueLengthLimit, created(o, now)];
  },
};

// ---- apiregistration.k8s.io --------------------------------------------------------

/** APIService columns come from kube-aggregator's own table convertor. */
export const apiServicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const service = present(spec.service) ? `${str(obj(spec.service).namespace)}/${str(obj(spec.service).name)}` : 'Local';
    let available = 'Unknown';
    const cond = findCondition(obj(o.status).conditions, 'Available');
    if (cond) {
      const status = str(cond.status);
      available = status !== 'True' && str(cond.reason) !== '' ? `${status} (${str(cond.reason)})` : status;
    }
    return [nameOf(o), service, available, created(o, now)];
  },
};

// ---- resource.k8s.io (DRA) ---------------------------------------------------------

export const nameAgePrinter: Printer = {
  columns: [nameColumn(), ageColumn()],
  cells(o, now) {
    return [nameOf(o), created(o, now)];
  },
};

export const resourceClaimPrinter: Printer = {
  columns: [
    nameColumn(),
    col('State', 'string', 'A summary of the current state (allocated, pending, reserved, etc.).'),
    ageColumn(),
  ],
  cells(o, now) {
    const states: string[] = [];
    const deleting = Boolean(meta(o).deletionTimestamp);
    const status = obj(o.status);
    if (deleting) states.push('deleted');
    if (!present(status.allocation)) {
      if (!deleting) states.push('pending');
    } else {
      states.push('allocated');
      if (arr(status.reservedFor).length > 0) states.push('reserved');
    }
    return [nameOf(o), states.join(','), created(o, now)];
  },
};

export const resourceSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Node', 'string', 'NodeName identifies the node which provides the resources in this pool.'),
    col('Driver', 'string', 'Driver identifies the DRA driver providing the capacity information.'),
    col('Pool', 'string', 'Name is used to identify the pool.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    return [nameOf(o), str(spec.nodeName), str(spec.driver), str(obj(spec.pool).name), created(o, now)];
  },
};

// ---- internal.apiserver.k8s.io, storagemigration.k8s.io, autoscaling Scale ---------

export const storageVersionPrinter: Printer = {
  columns: [
    nameColumn(),
    col('CommonEncodingVersion', 'string', 'If all API server instances agree on the same encoding storage version, then this field is set to that version.'),
    col('StorageVersions', 'string', 'The reported versions per API server instance.'),
    ageColumn(),
  ],
  cells(o, now) {
    const status = obj(o.status);
    const versions = arr(status.storageVersions)
      .map(obj)
      .map((sv) => `${str(sv.apiServerID)}=${str(sv.encodingVersion)}`);
    return [
      nameOf(o),
      typeof status.commonEncodingVersion === 'string' ? status.commonEncodingVersion : '<unset>',
      listWithMore(versions, 3),
      created(o, now),
    ];
  },
};

export const storageVersionMigrationPrinter: Printer = {
  // Upstream gives this Name column no "name" format.
  columns: [col('Name', 'string', nameColumn().description), col('Resource', 'string', 'Fully qualified resource to migrate')],
  cells(o) {
    const r = obj(obj(o.spec).resource);
    return [nameOf(o), `${str(r.resource)}.${str(r.version)}.${str(r.group)}`];
  },
};

export const scalePrinter: Printer = {
  // Upstream gives this Name column no "name" format.
  columns: [
    col('Name', 'string', nameColumn().description),
    col('Desired', 'integer', 'desired number of instances for the scaled object.'),
    col('Available', 'integer', 'actual number of observed instances of the scaled object.'),
    ageColumn(),
  ],
  cells(o, now) {
    return [nameOf(o), num(obj(o.spec).replicas), num(obj(o.status).replicas), created(o, now)];
  },
};
