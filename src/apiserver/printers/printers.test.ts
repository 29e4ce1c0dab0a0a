import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPrinter, printerFor, registeredKinds, type Printer } from './index.js';
import type { KObject } from '../registry/strategy.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
/** An RFC 3339 timestamp `s` seconds before NOW. */
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 24 * 3600;

interface Case {
  name: string;
  obj: KObject;
  want: unknown[];
}

function run(p: Printer, cases: Case[]): void {
  for (const c of cases) {
    const got = p.cells(c.obj, NOW);
    assert.deepEqual(got, c.want, c.name);
    assert.equal(got.length, p.columns.length, `${c.name}: one cell per column`);
  }
}

const columnsOf = (p: Printer): string[] => p.columns.map((c) => (c.priority === 1 ? `${c.name}*` : c.name));

// ---- columns ------------------------------------------------------------------------

test('columns: upstream names, order and wide (*) columns for the kinds kubectl users list', () => {
  const cases: { group: string; kind: string; want: string[] }[] = [
    { group: '', kind: 'Pod', want: ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*'] },
    { group: '', kind: 'Service', want: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*'] },
    {
      group: '',
      kind: 'Node',
      want: ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*'],
    },
    {
      group: '',
      kind: 'Event',
      want: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'],
    },
    { group: '', kind: 'Namespace', want: ['Name', 'Status', 'Age'] },
    { group: '', kind: 'Secret', want: ['Name', 'Type', 'Data', 'Age'] },
    { group: '', kind: 'ConfigMap', want: ['Name', 'Data', 'Age'] },
    { group: '', kind: 'ServiceAccount', want: ['Name', 'Secrets', 'Age'] },
    {
      group: '',
      kind: 'PersistentVolume',
      want: ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*'],
    },
    {
      group: '',
      kind: 'PersistentVolumeClaim',
      want: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*'],
    },
    { group: 'apps', kind: 'Deployment', want: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*'] },
    { group: 'apps', kind: 'ReplicaSet', want: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*'] },
    { group: 'apps', kind: 'StatefulSet', want: ['Name', 'Ready', 'Age', 'Containers*', 'Images*'] },
    {
      group: 'apps',
      kind: 'DaemonSet',
      want: ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers*', 'Images*', 'Selector*'],
    },
    { group: 'batch', kind: 'Job', want: ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers*', 'Images*', 'Selector*'] },
    {
      group: 'batch',
      kind: 'CronJob',
      want: ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers*', 'Images*', 'Selector*'],
    },
    { group: 'networking.k8s.io', kind: 'Ingress', want: ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'] },
    { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', want: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'] },
    { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', want: ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*'] },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', want: ['Name', 'Created At'] },
    { group: 'rbac.authorization.k8s.io', kind: 'Role', want: ['Name', 'Created At'] },
    { group: '', kind: 'LimitRange', want: ['Name', 'Created At'] },
    { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', want: ['Name', 'Created At'] },
    { group: 'apiregistration.k8s.io', kind: 'APIService', want: ['Name', 'Service', 'Available', 'Age'] },
    { group: 'storage.k8s.io', kind: 'StorageClass', want: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'] },
    {
      group: 'storage.k8s.io',
      kind: 'CSIDriver',
      want: ['Name', 'AttachRequired', 'PodInfoOnMount', 'StorageCapacity', 'TokenRequests', 'RequiresRepublish', 'Modes', 'Age'],
    },
    {
      group: 'certificates.k8s.io',
      kind: 'CertificateSigningRequest',
      want: ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
    },
    {
      group: 'flowcontrol.apiserver.k8s.io',
      kind: 'PriorityLevelConfiguration',
      want: ['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age'],
    },
    { group: 'example.com', kind: 'Widget', want: ['Name', 'Created At'] },
  ];
  for (const c of cases) assert.deepEqual(columnsOf(printerFor(c.group, c.kind)), c.want, `${c.group}/${c.kind}`);
});

test('columns: Name first with format "name" for every registered kind but Event (upstream puts it last)', () => {
  for (const gk of registeredKinds()) {
    const [group = '', kind = ''] = gk.split('/');
    const cols = printerFor(group, kind).columns;
    if (kind === 'Event') {
      assert.deepEqual(cols.at(-1), { ...cols.at(-1), name: 'Name', format: 'name', priority: 1 }, gk);
      continue;
    }
    assert.equal(cols[0]?.name, 'Name', gk);
    if (kind !== 'Scale' && kind !== 'StorageVersionMigration') assert.equal(cols[0]?.format, 'name', gk);
    for (const c of cols) assert.ok(['string', 'integer', 'number', 'boolean', 'date'].includes(c.type), `${gk} ${c.name}`);
  }
});

test('every registered printer gives one cell per column, even for an empty object', () => {
  for (const gk of registeredKinds()) {
    const [group = '', kind = ''] = gk.split('/');
    const p = printerFor(group, kind);
    assert.equal(p.cells({}, NOW).length, p.columns.length, gk);
    assert.equal(p.cells({ metadata: { name: 'x', creationTimestamp: ago(60) } }, NOW).length, p.columns.length, gk);
  }
});

// ---- pods ---------------------------------------------------------------------------

const container = (name: string) => ({ name, image: `${name}:1` });
const running = (ready: boolean, restarts = 0, lastFinishedAgo?: number) => ({
  ready,
  restartCount: restarts,
  state: { running: { startedAt: ago(100) } },
  ...(lastFinishedAgo === undefined ? {} : { lastState: { terminated: { exitCode: 1, finishedAt: ago(lastFinishedAgo) } } }),
});

function pod(name: string, spec: Record<string, any>, status: Record<string, any>, metadata: Record<string, any> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: ago(3 * 3600), ...metadata },
    spec: { containers: [container('app')], ...spec },
    status,
  };
}

test('Pod: READY, STATUS, RESTARTS in the states kubectl users meet', () => {
  const twoContainers = { containers: [container('a'), container('b')] };
  const cases: Case[] = [
    {
      name: 'running and ready, wide cells',
      obj: pod(
        'web-1',
        { nodeName: 'node-a' },
        {
          phase: 'Running',
          podIP: '10.244.0.5',
          podIPs: [{ ip: '10.244.0.5' }],
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [running(true)],
        },
      ),
      want: ['web-1', '1/1', 'Running', '0', '3h', '10.244.0.5', 'node-a', '<none>', '<none>'],
    },
    {
      name: 'pending, unscheduled',
      obj: pod('p', {}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }),
      want: ['p', '0/1', 'Pending', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'scheduling gated',
      obj: pod('p', twoContainers, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      want: ['p', '0/2', 'SchedulingGated', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'image pull backoff wins over phase',
      obj: pod('p', {}, { phase: 'Pending', containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] }),
      want: ['p', '0/1', 'ImagePullBackOff', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'crash loop with the "(5m ago)" restart suffix',
      obj: pod(
        'crashy',
        { nodeName: 'node-a' },
        {
          phase: 'Running',
          podIPs: [{ ip: '10.244.0.9' }],
          containerStatuses: [
            {
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } },
            },
          ],
        },
      ),
      want: ['crashy', '0/1', 'CrashLoopBackOff', '5 (5m ago)', '3h', '10.244.0.9', 'node-a', '<none>', '<none>'],
    },
    {
      name: 'completed (Succeeded)',
      obj: pod('job-x', {}, { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      want: ['job-x', '0/1', 'Completed', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'failed with Error',
      obj: pod('p', {}, { phase: 'Failed', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }),
      want: ['p', '0/1', 'Error', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'terminated without a reason shows the signal',
      obj: pod('p', {}, { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] }),
      want: ['p', '0/1', 'Signal:9', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'terminated without a reason or signal shows the exit code',
      obj: pod('p', {}, { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] }),
      want: ['p', '0/1', 'ExitCode:2', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'first container state wins (statuses walked last to first)',
      obj: pod('p', twoContainers, {
        phase: 'Running',
        containerStatuses: [
          { ready: false, restartCount: 3, state: { waiting: { reason: 'ContainerWaitingReason' } } },
          { ready: false, restartCount: 3, state: { terminated: { exitCode: 1, reason: 'ContainerTerminatedReason' } } },
        ],
      }),
      want: ['p', '0/2', 'ContainerWaitingReason', '6', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'one completed, one running, pod not Ready',
      obj: pod('p', twoContainers, {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          running(true),
        ],
      }),
      want: ['p', '1/2', 'NotReady', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'one completed, one running, pod Ready',
      obj: pod('p', twoContainers, {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          running(true),
        ],
      }),
      want: ['p', '1/2', 'Running', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'restarts sum over containers, suffix from the latest',
      obj: pod('p', twoContainers, { phase: 'Running', containerStatuses: [running(true, 6, 5 * DAY), running(true, 3, 20 * DAY)] }),
      want: ['p', '2/2', 'Running', '9 (5d ago)', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'deleting a running pod',
      obj: pod('p', {}, { phase: 'Running', containerStatuses: [running(true)] }, { deletionTimestamp: ago(10) }),
      want: ['p', '1/1', 'Terminating', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'deleting a pending pod',
      obj: pod('p', {}, { phase: 'Pending' }, { deletionTimestamp: ago(10) }),
      want: ['p', '0/1', 'Terminating', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'deleting a succeeded pod keeps Completed',
      obj: pod('p', {}, { phase: 'Succeeded', containerStatuses: [{ ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, { deletionTimestamp: ago(10) }),
      want: ['p', '0/1', 'Completed', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'node lost while deleting reads Unknown',
      obj: pod('p', { nodeName: 'gone' }, { phase: 'Running', reason: 'NodeLost', containerStatuses: [running(true)] }, { deletionTimestamp: ago(10) }),
      want: ['p', '1/1', 'Unknown', '0', '3h', '<none>', 'gone', '<none>', '<none>'],
    },
    {
      name: 'pod reason (Evicted) shows when no container overrides it',
      obj: pod('p', {}, { phase: 'Failed', reason: 'Evicted', message: 'low on memory' }),
      want: ['p', '0/1', 'Evicted', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'nominated node and readiness gates',
      obj: pod(
        'p',
        { readinessGates: [{ conditionType: 'c1' }, { conditionType: 'c2' }, { conditionType: 'c3' }] },
        {
          phase: 'Pending',
          nominatedNodeName: 'node-b',
          conditions: [
            { type: 'c1', status: 'False' },
            { type: 'c2', status: 'True' },
          ],
        },
      ),
      want: ['p', '0/1', 'Pending', '0', '3h', '<none>', '<none>', 'node-b', '1/3'],
    },
    {
      name: 'podIP alone (no podIPs) still shows',
      obj: pod('p', {}, { phase: 'Running', podIP: '10.0.0.7' }),
      want: ['p', '0/1', 'Running', '0', '3h', '10.0.0.7', '<none>', '<none>', '<none>'],
    },
  ];
  run(printerFor('', 'Pod'), cases);
});

test('Pod: init containers and sidecars', () => {
  const init = (n: number) => Array.from({ length: n }, (_, i) => container(`init-${i}`));
  const sidecars = [
    { name: 'side-1', image: 's', restartPolicy: 'Always' },
    { name: 'side-2', image: 's', restartPolicy: 'Always' },
  ];
  const cases: Case[] = [
    {
      name: 'first init container running',
      obj: pod('p', { initContainers: init(1) }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init-0', ready: false, restartCount: 3, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(10) } } }],
        containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      }),
      want: ['p', '0/1', 'Init:0/1', '3 (10s ago)', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'first init done, second running',
      obj: pod('p', { initContainers: init(2) }, {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'init-0', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'init-1', ready: false, restartCount: 0, state: { running: {} } },
        ],
      }),
      want: ['p', '0/1', 'Init:1/2', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container crash looping',
      obj: pod('p', { initContainers: init(1) }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init-0', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }],
      }),
      want: ['p', '0/1', 'Init:CrashLoopBackOff', '4 (90s ago)', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container failed with a reason',
      obj: pod('p', { initContainers: init(1) }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init-0', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }],
      }),
      want: ['p', '0/1', 'Init:Error', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container failed without a reason',
      obj: pod('p', { initContainers: init(1) }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init-0', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }],
      }),
      want: ['p', '0/1', 'Init:ExitCode:3', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init done: restarts count only the app containers',
      obj: pod('p', { initContainers: init(1) }, {
        phase: 'Running',
        initContainerStatuses: [{ name: 'init-0', ready: false, restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(120) } } }],
        containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(20) } } }],
      }),
      want: ['p', '0/1', 'Running', '4 (20s ago)', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'sidecars count in READY; started ones are done',
      obj: pod('p', { initContainers: sidecars }, {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'side-1', ready: true, restartCount: 3, started: true, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(10) } } },
          { name: 'side-2', ready: false, restartCount: 0, started: true, state: { running: {} } },
        ],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 4, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(20) } } }],
      }),
      want: ['p', '2/3', 'Running', '7 (10s ago)', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'sidecar running but not started blocks init',
      obj: pod('p', { initContainers: sidecars }, {
        phase: 'Pending',
        conditions: [{ type: 'Initialized', status: 'False' }],
        initContainerStatuses: [
          { name: 'side-1', ready: false, restartCount: 0, started: false, state: { running: {} } },
          { name: 'side-2', ready: false, restartCount: 0, started: false, state: { waiting: {} } },
        ],
      }),
      want: ['p', '0/3', 'Init:0/2', '0', '3h', '<none>', '<none>', '<none>', '<none>'],
    },
  ];
  run(printerFor('', 'Pod'), cases);
});

test('Pod: row conditions mark finished pods Completed', () => {
  const p = printerFor('', 'Pod');
  assert.deepEqual(p.conditions?.(pod('p', {}, { phase: 'Succeeded' })), [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
  assert.equal(p.conditions?.(pod('p', {}, { phase: 'Failed' }))?.[0]?.reason, 'Failed');
  assert.equal(p.conditions?.(pod('p', {}, { phase: 'Running' })), undefined);
});

// ---- services -----------------------------------------------------------------------

function service(name: string, spec: Record<string, any>, status: Record<string, any> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, creationTimestamp: ago(2 * DAY + 3600) }, spec, status };
}

test('Service: each type', () => {
  const cases: Case[] = [
    {
      name: 'ClusterIP',
      obj: service('web', { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web', tier: 'fe' } }),
      want: ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '2d1h', 'app=web,tier=fe'],
    },
    {
      name: 'ClusterIP defaults (no type, no protocol)',
      obj: service('kubernetes', { clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443 }] }),
      want: ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '2d1h', '<none>'],
    },
    {
      name: 'headless',
      obj: service('db', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }], selector: { app: 'db' } }),
      want: ['db', 'ClusterIP', 'None', '<none>', '5432/TCP', '2d1h', 'app=db'],
    },
    {
      name: 'ClusterIP with external IPs',
      obj: service('ext', { type: 'ClusterIP', clusterIPs: ['10.96.0.11'], externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [{ port: 80, protocol: 'TCP' }] }),
      want: ['ext', 'ClusterIP', '10.96.0.11', '192.0.2.1,192.0.2.2', '80/TCP', '2d1h', '<none>'],
    },
    {
      name: 'NodePort',
      obj: service('np', {
        type: 'NodePort',
        clusterIPs: ['10.96.0.12'],
        ports: [
          { port: 80, protocol: 'TCP', nodePort: 30080 },
          { port: 443, protocol: 'TCP', nodePort: 30443 },
        ],
      }),
      want: ['np', 'NodePort', '10.96.0.12', '<none>', '80:30080/TCP,443:30443/TCP', '2d1h', '<none>'],
    },
    {
      name: 'LoadBalancer pending',
      obj: service('lb', { type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }, { port: 8090, protocol: 'UDP', nodePort: 31001 }] }),
      want: ['lb', 'LoadBalancer', '10.96.0.13', '<pending>', '80:31000/TCP,8090:31001/UDP', '2d1h', '<none>'],
    },
    {
      name: 'LoadBalancer with ingress points (sorted, unique, not clipped: the server prints wide)',
      obj: service(
        'lb',
        { type: 'LoadBalancer', clusterIPs: ['10.96.0.14'], ports: [{ port: 80, protocol: 'TCP', nodePort: 31002 }] },
        { loadBalancer: { ingress: [{ ip: '3.4.5.6' }, { ip: '2.3.4.5' }, { ip: '5.6.7.8', hostname: 'host5678' }, { hostname: 'lb.example.com' }] } },
      ),
      want: ['lb', 'LoadBalancer', '10.96.0.14', '2.3.4.5,3.4.5.6,5.6.7.8,lb.example.com', '80:31002/TCP', '2d1h', '<none>'],
    },
    {
      name: 'LoadBalancer with ingress and external IPs',
      obj: service(
        'lb',
        { type: 'LoadBalancer', clusterIPs: ['10.96.0.15'], externalIPs: ['192.0.2.9'], ports: [{ port: 80, protocol: 'TCP' }] },
        { loadBalancer: { ingress: [{ ip: '2.3.4.5' }] } },
      ),
      want: ['lb', 'LoadBalancer', '10.96.0.15', '2.3.4.5,192.0.2.9', '80/TCP', '2d1h', '<none>'],
    },
    {
      name: 'ExternalName',
      obj: service('ext-db', { type: 'ExternalName', externalName: 'db.example.com' }),
      want: ['ext-db', 'ExternalName', '<none>', 'db.example.com', '<none>', '2d1h', '<none>'],
    },
    {
      name: 'SCTP and dual-stack (first cluster IP shown)',
      obj: service('ds', { type: 'ClusterIP', clusterIPs: ['10.96.0.16', 'fd00::16'], ports: [{ port: 7777, protocol: 'SCTP' }] }),
      want: ['ds', 'ClusterIP', '10.96.0.16', '<none>', '7777/SCTP', '2d1h', '<none>'],
    },
  ];
  run(printerFor('', 'Service'), cases);
});

// ---- nodes --------------------------------------------------------------------------

function node(name: string, labels: Record<string, string>, spec: Record<string, any>, conditions: Record<string, any>[], extra: Record<string, any> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, creationTimestamp: ago(10 * DAY) },
    spec,
    status: {
      conditions,
      addresses: [
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.6.20' },
      ...extra,
    },
  };
}

test('Node: status, roles, version and wide cells', () => {
  const ready = [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }];
  const wideTail = ['192.168.1.10', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.6.20'];
  const cases: Case[] = [
    {
      name: 'control plane, ready',
      obj: node('cp-1', { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'cp-1' }, {}, ready),
      want: ['cp-1', 'Ready', 'control-plane', '10d', 'v1.32.0', ...wideTail],
    },
    {
      name: 'worker without roles',
      obj: node('w-1', { 'kubernetes.io/hostname': 'w-1' }, {}, ready),
      want: ['w-1', 'Ready', '<none>', '10d', 'v1.32.0', ...wideTail],
    },
    {
      name: 'cordoned',
      obj: node('w-2', {}, { unschedulable: true }, ready),
      want: ['w-2', 'Ready,SchedulingDisabled', '<none>', '10d', 'v1.32.0', ...wideTail],
    },
    {
      name: 'not ready, several roles sorted and de-duplicated',
      obj: node('w-3', { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/etcd': 'true', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': '' }, {}, [
        { type: 'Ready', status: 'False' },
      ]),
      want: ['w-3', 'NotReady', 'etcd,worker', '10d', 'v1.32.0', ...wideTail],
    },
    {
      name: 'ready unknown counts as NotReady',
      obj: node('w-4', {}, {}, [{ type: 'Ready', status: 'Unknown' }]),
      want: ['w-4', 'NotReady', '<none>', '10d', 'v1.32.0', ...wideTail],
    },
    {
      name: 'no conditions yet, cordoned',
      obj: node('w-5', {}, { unschedulable: true }, []),
      want: ['w-5', 'Unknown,SchedulingDisabled', '<none>', '10d', 'v1.32.0', ...wideTail],
    },
    {
      name: 'external IP and missing node info',
      obj: {
        metadata: { name: 'bare', creationTimestamp: ago(30) },
        status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.4' }, { type: 'InternalIP', address: '10.0.0.4' }] },
      },
      want: ['bare', 'Unknown', '<none>', '30s', '', '10.0.0.4', '203.0.113.4', '<unknown>', '<unknown>', '<unknown>'],
    },
  ];
  run(printerFor('', 'Node'), cases);
});

// ---- workloads ----------------------------------------------------------------------

const template = (containers: { name: string; image: string }[], labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers },
});

test('Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController', () => {
  const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: ago(45 * 60) });
  run(printerFor('apps', 'Deployment'), [
    {
      name: 'rolling out',
      obj: {
        metadata: meta('web'),
        spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template([container('nginx'), container('sidecar')]) },
        status: { replicas: 3, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 },
      },
      want: ['web', '2/3', 1, 2, '45m', 'nginx,sidecar', 'nginx:1,sidecar:1', 'app=web'],
    },
    {
      name: 'fresh, no status, default replicas, expression selector',
      obj: {
        metadata: meta('api'),
        spec: {
          selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }, { key: 'legacy', operator: 'DoesNotExist' }] },
          template: template([container('api')]),
        },
      },
      want: ['api', '0/1', 0, 0, '45m', 'api', 'api:1', 'app=api,env in (canary,prod),!legacy'],
    },
    {
      name: 'invalid selector',
      obj: { metadata: meta('bad'), spec: { replicas: 0, selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } } },
      want: ['bad', '0/0', 0, 0, '45m', '', '', '<invalid>'],
    },
  ]);
  run(printerFor('apps', 'ReplicaSet'), [
    {
      name: 'replica set',
      obj: { metadata: meta('web-5d9c'), spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d9c' } }, template: template([container('nginx')]) }, status: { replicas: 3, readyReplicas: 3 } },
      want: ['web-5d9c', 3, 3, 3, '45m', 'nginx', 'nginx:1', 'app=web,pod-template-hash=5d9c'],
    },
    {
      name: 'empty selector prints <none>',
      obj: { metadata: meta('rs'), spec: { replicas: 0, selector: {} } },
      want: ['rs', 0, 0, 0, '45m', '', '', '<none>'],
    },
  ]);
  run(printerFor('apps', 'StatefulSet'), [
    {
      name: 'stateful set',
      obj: { metadata: meta('db'), spec: { replicas: 3, template: template([container('postgres')]) }, status: { readyReplicas: 1 } },
      want: ['db', '1/3', '45m', 'postgres', 'postgres:1'],
    },
  ]);
  run(printerFor('apps', 'DaemonSet'), [
    {
      name: 'daemon set with node selector',
      obj: {
        metadata: meta('proxy'),
        spec: { selector: { matchLabels: { k8s: 'proxy' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [container('kube-proxy')] } } },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
      },
      want: ['proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '45m', 'kube-proxy', 'kube-proxy:1', 'k8s=proxy'],
    },
  ]);
  run(printerFor('', 'ReplicationController'), [
    {
      name: 'rc with map selector',
      obj: { metadata: meta('rc'), spec: { replicas: 2, selector: { app: 'old' }, template: template([container('x')]) }, status: { replicas: 2, readyReplicas: 1 } },
      want: ['rc', 2, 2, 1, '45m', 'x', 'x:1', 'app=old'],
    },
  ]);
});

test('Job: STATUS, COMPLETIONS, DURATION', () => {
  const job = (name: string, spec: Record<string, any>, status: Record<string, any>, metadata: Record<string, any> = {}): KObject => ({
    metadata: { name, creationTimestamp: ago(600), ...metadata },
    spec: { template: template([container('worker')]), selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, ...spec },
    status,
  });
  const tail = ['10m', 'worker', 'worker:1', 'batch.kubernetes.io/controller-uid=abc'];
  run(printerFor('batch', 'Job'), [
    {
      name: 'running, defaulted completions',
      obj: job('pi', {}, { startTime: ago(190), active: 1 }),
      want: ['pi', 'Running', '0/1', '3m10s', ...tail],
    },
    {
      name: 'complete',
      obj: job('pi', { completions: 1, parallelism: 1 }, {
        startTime: ago(600),
        completionTime: ago(555),
        succeeded: 1,
        conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
      }),
      want: ['pi', 'Complete', '1/1', '45s', ...tail],
    },
    {
      name: 'failed',
      obj: job('pi', { completions: 3 }, { startTime: ago(600), failed: 7, succeeded: 1, conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] }),
      want: ['pi', 'Failed', '1/3', '10m', ...tail],
    },
    {
      name: 'failure target only',
      obj: job('pi', { completions: 3 }, { startTime: ago(60), conditions: [{ type: 'FailureTarget', status: 'True' }] }),
      want: ['pi', 'FailureTarget', '0/3', '60s', ...tail],
    },
    {
      name: 'suspended, never started',
      obj: job('pi', { completions: 2, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }),
      want: ['pi', 'Suspended', '0/2', '', ...tail],
    },
    {
      name: 'terminating',
      obj: job('pi', { completions: 2 }, { startTime: ago(60), conditions: [{ type: 'Suspended', status: 'True' }] }, { deletionTimestamp: ago(1) }),
      want: ['pi', 'Terminating', '0/2', '60s', ...tail],
    },
    {
      name: 'work queue: parallelism without completions',
      obj: job('q', { parallelism: 3 }, { startTime: ago(60), succeeded: 1 }),
      want: ['q', 'Running', '1/1 of 3', '60s', ...tail],
    },
    {
      name: 'parallelism 1 without completions',
      obj: job('q', { parallelism: 1 }, {}),
      want: ['q', 'Running', '0/1', '', ...tail],
    },
  ]);
});

test('CronJob', () => {
  run(printerFor('batch', 'CronJob'), [
    {
      name: 'scheduled',
      obj: {
        metadata: { name: 'backup', creationTimestamp: ago(3 * DAY) },
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template([container('backup')]) } } },
        status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(120) },
      },
      want: ['backup', '*/5 * * * *', '<none>', 'False', 1, '2m', '3d', 'backup', 'backup:1', '<none>'],
    },
    {
      name: 'suspended with a time zone, never scheduled',
      obj: {
        metadata: { name: 'report', creationTimestamp: ago(60) },
        spec: { schedule: '0 9 * * 1', timeZone: 'Europe/Paris', suspend: true, jobTemplate: { spec: { template: template([container('r')]) } } },
      },
      want: ['report', '0 9 * * 1', 'Europe/Paris', 'True', 0, '<none>', '60s', 'r', 'r:1', '<none>'],
    },
  ]);
});

test('HorizontalPodAutoscaler TARGETS', () => {
  const hpa = (spec: Record<string, any>, status: Record<string, any> = {}): KObject => ({
    metadata: { name: 'web', creationTimestamp: ago(300) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec },
    status,
  });
  const cpu = (target: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
  run(printerFor('autoscaling', 'HorizontalPodAutoscaler'), [
    {
      name: 'v2 cpu, no metrics yet',
      obj: hpa({ minReplicas: 2, metrics: [cpu(80)] }),
      want: ['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', 10, 0, '5m'],
    },
    {
      name: 'v2 cpu and memory average value, with status',
      obj: hpa(
        { minReplicas: 1, metrics: [cpu(50), { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }] },
        {
          currentReplicas: 3,
          currentMetrics: [
            { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 35, averageValue: '35m' } } },
            { type: 'Resource', resource: { name: 'memory', current: { averageValue: '1.5Gi' } } },
          ],
        },
      ),
      want: ['web', 'Deployment/web', 'cpu: 35%/50%, memory: 1536Mi/500Mi', '1', 10, 3, '5m'],
    },
    {
      name: 'more than two metrics',
      obj: hpa({ metrics: [cpu(50), cpu(60), { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } }] }),
      want: ['web', 'Deployment/web', 'cpu: <unknown>/50%, cpu: <unknown>/60% + 1 more...', '1', 10, 0, '5m'],
    },
    {
      name: 'external and object metrics',
      obj: hpa(
        {
          metrics: [
            { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
            { type: 'Object', object: { metric: { name: 'rps' }, target: { type: 'Value', value: '2k' } } },
          ],
        },
        { currentMetrics: [{ type: 'External', external: { current: { averageValue: '12' } } }, { type: 'Object', object: { current: { value: '1500' } } }] },
      ),
      want: ['web', 'Deployment/web', '12/30 (avg), 1500/2k', '1', 10, 0, '5m'],
    },
    {
      name: 'autoscaling/v1 shape',
      obj: hpa({ minReplicas: 1, targetCPUUtilizationPercentage: 70 }, { currentReplicas: 2, currentCPUUtilizationPercentage: 12 }),
      want: ['web', 'Deployment/web', 'cpu: 12%/70%', '1', 10, 2, '5m'],
    },
  ]);
});

// ---- other core kinds -----------------------------------------------------------------

test('Event: core/v1 and events.k8s.io/v1', () => {
  const core: KObject = {
    metadata: { name: 'web-1.17d2', namespace: 'default', creationTimestamp: ago(600) },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container\n',
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: ago(600),
    lastTimestamp: ago(30),
    count: 12,
    type: 'Warning',
  };
  run(printerFor('', 'Event'), [
    {
      name: 'classic event',
      obj: core,
      want: ['30s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-a', 'Back-off restarting failed container', '10m', 12, 'web-1.17d2'],
    },
    {
      name: 'new-API singleton written through core/v1 (eventTime, no count, reporting controller)',
      obj: {
        metadata: { name: 'e2' },
        involvedObject: { kind: 'Node', name: 'node-a' },
        reason: 'Starting',
        message: 'Starting kubelet.',
        eventTime: '2024-06-01T11:59:00.000000Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'node-a',
        type: 'Normal',
      },
      want: ['60s', 'Normal', 'Starting', 'node/node-a', '', 'kubelet, node-a', 'Starting kubelet.', '60s', 1, 'e2'],
    },
    {
      name: 'series overrides last seen and count',
      obj: { ...core, series: { count: 40, lastObservedTime: '2024-06-01T11:59:50.000000Z' } },
      want: ['10s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-a', 'Back-off restarting failed container', '10m', 40, 'web-1.17d2'],
    },
    {
      name: 'involved object without a name',
      obj: { metadata: { name: 'e3' }, involvedObject: { kind: 'Namespace' }, reason: 'X', message: 'm', source: { component: 'c' }, firstTimestamp: ago(5), type: 'Normal' },
      want: ['5s', 'Normal', 'X', 'namespace', '', 'c', 'm', '5s', 1, 'e3'],
    },
  ]);
  run(printerFor('events.k8s.io', 'Event'), [
    {
      name: 'events.k8s.io/v1 fields',
      obj: {
        metadata: { name: 'e4' },
        regarding: { kind: 'Pod', name: 'web-2' },
        reason: 'Scheduled',
        note: 'Successfully assigned default/web-2 to node-a',
        reportingController: 'default-scheduler',
        reportingInstance: 'default-scheduler-cp-1',
        eventTime: '2024-06-01T11:58:00.000000Z',
        type: 'Normal',
        action: 'Binding',
      },
      want: ['2m', 'Normal', 'Scheduled', 'pod/web-2', '', 'default-scheduler, default-scheduler-cp-1', 'Successfully assigned default/web-2 to node-a', '2m', 1, 'e4'],
    },
  ]);
});

test('Namespace, Secret, ConfigMap, ServiceAccount, Endpoints', () => {
  const m = (name: string) => ({ name, creationTimestamp: ago(90) });
  run(printerFor('', 'Namespace'), [
    { name: 'active', obj: { metadata: m('default'), status: { phase: 'Active' } }, want: ['default', 'Active', '90s'] },
    { name: 'terminating', obj: { metadata: m('old'), status: { phase: 'Terminating' } }, want: ['old', 'Terminating', '90s'] },
  ]);
  run(printerFor('', 'Secret'), [
    { name: 'tls', obj: { metadata: m('cert'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }, want: ['cert', 'kubernetes.io/tls', 2, '90s'] },
    { name: 'opaque default', obj: { metadata: m('s'), stringData: { a: 'b' } }, want: ['s', 'Opaque', 0, '90s'] },
  ]);
  run(printerFor('', 'ConfigMap'), [
    { name: 'data and binaryData', obj: { metadata: m('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, want: ['cfg', 3, '90s'] },
  ]);
  run(printerFor('', 'ServiceAccount'), [
    { name: 'no secrets', obj: { metadata: m('default') }, want: ['default', 0, '90s'] },
    { name: 'one secret', obj: { metadata: m('bot'), secrets: [{ name: 'bot-token' }] }, want: ['bot', 1, '90s'] },
  ]);
  run(printerFor('', 'Endpoints'), [
    { name: 'none', obj: { metadata: m('empty') }, want: ['empty', '<none>', '90s'] },
    {
      name: 'more than three',
      obj: {
        metadata: m('web'),
        subsets: [
          { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
          { addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] },
        ],
      },
      want: ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...', '90s'],
    },
    {
      name: 'headless without ports, IPv6 with brackets elsewhere',
      obj: { metadata: m('h'), subsets: [{ addresses: [{ ip: '10.0.0.9' }] }, { addresses: [{ ip: 'fd00::9' }], ports: [{ port: 53 }] }] },
      want: ['h', '10.0.0.9,[fd00::9]:53', '90s'],
    },
  ]);
});

test('PersistentVolume and PersistentVolumeClaim', () => {
  run(printerFor('', 'PersistentVolume'), [
    {
      name: 'bound',
      obj: {
        metadata: { name: 'pv-1', creationTimestamp: ago(3600) },
        spec: {
          capacity: { storage: '10Gi' },
          accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Delete',
          claimRef: { namespace: 'default', name: 'data' },
          storageClassName: 'standard',
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Bound' },
      },
      want: ['pv-1', '10Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '60m', 'Filesystem'],
    },
    {
      name: 'released, beta class annotation, terminating',
      obj: {
        metadata: { name: 'pv-2', creationTimestamp: ago(3600), deletionTimestamp: ago(1), annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } },
        spec: { capacity: { storage: '1.5Gi' }, accessModes: ['ReadOnlyMany'], storageClassName: 'ignored', volumeAttributesClassName: 'gold', volumeMode: 'Block' },
        status: { phase: 'Released', reason: 'Recycled' },
      },
      want: ['pv-2', '1536Mi', 'ROX', 'Retain', 'Terminating', '', 'old', 'gold', 'Recycled', '60m', 'Block'],
    },
  ]);
  run(printerFor('', 'PersistentVolumeClaim'), [
    {
      name: 'bound',
      obj: {
        metadata: { name: 'data', creationTimestamp: ago(3600) },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'standard', volumeName: 'pv-1', volumeMode: 'Filesystem' },
        status: { phase: 'Bound', accessModes: ['ReadWriteOnce', 'ReadWriteOncePod'], capacity: { storage: '10Gi' } },
      },
      want: ['data', 'Bound', 'pv-1', '10Gi', 'RWO,RWOP', 'standard', '<unset>', '60m', 'Filesystem'],
    },
    {
      name: 'pending (no volume yet: capacity and modes blank)',
      obj: {
        metadata: { name: 'wait', creationTimestamp: ago(3600) },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
        status: { phase: 'Pending' },
      },
      want: ['wait', 'Pending', '', '', '', '', '<unset>', '60m', 'Filesystem'],
    },
  ]);
});

test('ResourceQuota, StorageClass, RoleBinding, CSR, Ingress, PDB, PriorityClass, APIService', () => {
  run(printerFor('', 'ResourceQuota'), [
    {
      name: 'requests and limits',
      obj: {
        metadata: { name: 'q', creationTimestamp: ago(60) },
        status: {
          hard: { 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1', 'limits.cpu': '2' },
          used: { 'limits.memory': '512Mi', pods: '3', 'requests.cpu': '500m' },
        },
      },
      want: ['q', 'pods: 3/10, requests.cpu: 500m/1', 'limits.cpu: 0/2, limits.memory: 512Mi/2Gi', '60s'],
    },
  ]);
  run(printerFor('storage.k8s.io', 'StorageClass'), [
    {
      name: 'default class with defaults',
      obj: { metadata: { name: 'standard', creationTimestamp: ago(60), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path' },
      want: ['standard (default)', 'rancher.io/local-path', 'Delete', 'Immediate', false, '60s'],
    },
    {
      name: 'explicit settings',
      obj: { metadata: { name: 'fast', creationTimestamp: ago(60) }, provisioner: 'csi.example.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true },
      want: ['fast', 'csi.example.com', 'Retain', 'WaitForFirstConsumer', true, '60s'],
    },
  ]);
  run(printerFor('rbac.authorization.k8s.io', 'ClusterRoleBinding'), [
    {
      name: 'subjects split by kind',
      obj: {
        metadata: { name: 'admins', creationTimestamp: ago(60) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'User', name: 'bob' },
          { kind: 'Group', name: 'system:masters' },
          { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
        ],
      },
      want: ['admins', 'ClusterRole/cluster-admin', '60s', 'alice, bob', 'system:masters', 'tools/ci'],
    },
  ]);
  run(printerFor('certificates.k8s.io', 'CertificateSigningRequest'), [
    {
      name: 'approved and issued',
      obj: {
        metadata: { name: 'csr-1', creationTimestamp: ago(60) },
        spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'alice', expirationSeconds: 86400 },
        status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
      },
      want: ['csr-1', '60s', 'kubernetes.io/kube-apiserver-client', 'alice', '24h', 'Approved,Issued'],
    },
    {
      name: 'pending',
      obj: { metadata: { name: 'csr-2', creationTimestamp: ago(60) }, spec: { username: 'system:node:a' } },
      want: ['csr-2', '60s', '<none>', 'system:node:a', '<none>', 'Pending'],
    },
  ]);
  run(printerFor('networking.k8s.io', 'Ingress'), [
    {
      name: 'hosts and TLS',
      obj: {
        metadata: { name: 'web', creationTimestamp: ago(60) },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
        status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
      },
      want: ['web', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '192.0.2.10', '80, 443', '60s'],
    },
    {
      name: 'catch-all',
      obj: { metadata: { name: 'any', creationTimestamp: ago(60) }, spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } },
      want: ['any', '<none>', '*', '', '80', '60s'],
    },
  ]);
  run(printerFor('policy', 'PodDisruptionBudget'), [
    {
      name: 'min available',
      obj: { metadata: { name: 'pdb', creationTimestamp: ago(60) }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } },
      want: ['pdb', '2', 'N/A', 1, '60s'],
    },
    {
      name: 'max unavailable percent',
      obj: { metadata: { name: 'pdb2', creationTimestamp: ago(60) }, spec: { maxUnavailable: '25%' } },
      want: ['pdb2', 'N/A', '25%', 0, '60s'],
    },
  ]);
  run(printerFor('scheduling.k8s.io', 'PriorityClass'), [
    {
      name: 'system class',
      obj: { metadata: { name: 'system-node-critical', creationTimestamp: ago(60) }, value: 2000001000 },
      want: ['system-node-critical', 2000001000, false, '60s', 'PreemptLowerPriority'],
    },
  ]);
  run(printerFor('apiregistration.k8s.io', 'APIService'), [
    { name: 'local', obj: { metadata: { name: 'v1.apps', creationTimestamp: ago(60) }, spec: { group: 'apps', version: 'v1' }, status: { conditions: [{ type: 'Available', status: 'True' }] } }, want: ['v1.apps', 'Local', 'True', '60s'] },
    {
      name: 'aggregated, unavailable',
      obj: {
        metadata: { name: 'v1beta1.metrics.k8s.io', creationTimestamp: ago(60) },
        spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
        status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
      },
      want: ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '60s'],
    },
  ]);
});

test('ControllerRevision, Lease, EndpointSlice, CSIDriver, webhooks, FlowSchema, PriorityLevelConfiguration', () => {
  run(printerFor('apps', 'ControllerRevision'), [
    {
      name: 'owned by a StatefulSet',
      obj: { metadata: { name: 'db-7f9c', creationTimestamp: ago(60), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', controller: true }] }, revision: 2 },
      want: ['db-7f9c', 'statefulset.apps/db', 2, '60s'],
    },
  ]);
  run(printerFor('coordination.k8s.io', 'Lease'), [
    { name: 'held', obj: { metadata: { name: 'kube-scheduler', creationTimestamp: ago(60) }, spec: { holderIdentity: 'cp-1_abc' } }, want: ['kube-scheduler', 'cp-1_abc', '60s'] },
  ]);
  run(printerFor('discovery.k8s.io', 'EndpointSlice'), [
    {
      name: 'slice',
      obj: {
        metadata: { name: 'web-abc', creationTimestamp: ago(60) },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics' }],
        endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
      },
      want: ['web-abc', 'IPv4', '80,metrics', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '60s'],
    },
    { name: 'empty slice', obj: { metadata: { name: 'e', creationTimestamp: ago(60) }, addressType: 'IPv6' }, want: ['e', 'IPv6', '<unset>', '<unset>', '60s'] },
  ]);
  run(printerFor('storage.k8s.io', 'CSIDriver'), [
    {
      name: 'defaults',
      obj: { metadata: { name: 'csi.example.com', creationTimestamp: ago(60) }, spec: { volumeLifecycleModes: ['Persistent', 'Ephemeral'] } },
      want: ['csi.example.com', true, false, false, '<unset>', false, 'Persistent,Ephemeral', '60s'],
    },
  ]);
  run(printerFor('admissionregistration.k8s.io', 'ValidatingWebhookConfiguration'), [
    { name: 'two webhooks', obj: { metadata: { name: 'policy', creationTimestamp: ago(60) }, webhooks: [{}, {}] }, want: ['policy', 2, '60s'] },
  ]);
  run(printerFor('flowcontrol.apiserver.k8s.io', 'FlowSchema'), [
    {
      name: 'flow schema',
      obj: {
        metadata: { name: 'system-leader-election', creationTimestamp: ago(60) },
        spec: { priorityLevelConfiguration: { name: 'leader-election' }, matchingPrecedence: 100, distinguisherMethod: { type: 'ByUser' } },
        status: { conditions: [{ type: 'Dangling', status: 'False' }] },
      },
      want: ['system-leader-election', 'leader-election', 100, 'ByUser', '60s', 'False'],
    },
  ]);
  run(printerFor('flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration'), [
    {
      name: 'limited with queuing',
      obj: {
        metadata: { name: 'workload-low', creationTimestamp: ago(60) },
        spec: { type: 'Limited', limited: { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } },
      },
      want: ['workload-low', 'Limited', 100, 128, 6, 50, '60s'],
    },
    { name: 'exempt', obj: { metadata: { name: 'exempt', creationTimestamp: ago(60) }, spec: { type: 'Exempt', exempt: {} } }, want: ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>', '60s'] },
  ]);
});

test('default printer: Name and Created At (RFC 3339), for Role, ClusterRole, CRD and unknown kinds', () => {
  const role: KObject = { metadata: { name: 'view', creationTimestamp: '2024-05-31T08:15:30Z' } };
  for (const [group, kind] of [
    ['rbac.authorization.k8s.io', 'ClusterRole'],
    ['rbac.authorization.k8s.io', 'Role'],
    ['', 'LimitRange'],
    ['apiextensions.k8s.io', 'CustomResourceDefinition'],
    ['example.com', 'Widget'],
  ] as const) {
    const p = printerFor(group, kind);
    assert.equal(p, defaultPrinter, `${group}/${kind}`);
    assert.deepEqual(p.cells(role, NOW), ['view', '2024-05-31T08:15:30Z']);
  }
  assert.deepEqual(defaultPrinter.columns.map((c) => [c.name, c.type, c.format]), [
    ['Name', 'string', 'name'],
    ['Created At', 'date', ''],
  ]);
});
