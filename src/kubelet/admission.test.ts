import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { admitPod, podRequests } from './admission.js';

const node: Node = {
  metadata: { name: 'n1', labels: { 'kubernetes.io/os': 'linux', zone: 'a' } },
  spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '3', 'ephemeral-storage': '100Gi', 'example.com/gpu': '1' } },
};

function pod(spec: Partial<PodSpec> = {}, cpu?: string, memory?: string): Pod {
  const requests: Record<string, string> = {};
  if (cpu !== undefined) requests['cpu'] = cpu;
  if (memory !== undefined) requests['memory'] = memory;
  return { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests } }], ...spec } };
}

test('admitPod', () => {
  const cases: { name: string; pod: Pod; admitted?: Pod[]; want: string; message?: string }[] = [
    { name: 'fits', pod: pod({}, '1', '1Gi'), want: 'admit' },
    { name: 'too much cpu', pod: pod({}, '5'), want: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000" },
    { name: 'cpu used by others', pod: pod({}, '2'), admitted: [pod({}, '3')], want: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000" },
    { name: 'too much memory', pod: pod({}, undefined, '9Gi'), want: 'OutOfmemory', message: "Node didn't have enough resource: memory, requested: 9663676416, used: 0, capacity: 8589934592" },
    { name: 'too many pods', pod: pod(), admitted: [pod(), pod(), pod()], want: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3" },
    {
      name: 'extended resource over allocatable',
      pod: pod({ containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '2' } } }] }),
      want: 'OutOfexample.com/gpu',
    },
    { name: 'extended resource the node lacks is ignored', pod: pod({ containers: [{ name: 'c', resources: { requests: { 'other.io/fpga': '1' } } }] }), want: 'admit' },
    { name: 'nodeSelector mismatch', pod: pod({ nodeSelector: { zone: 'b' } }), want: 'NodeAffinity', message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" },
    {
      name: 'required affinity matches',
      pod: pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'c'] }] }] } } } }),
      want: 'admit',
    },
    {
      name: 'required affinity by field',
      pod: pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } } }),
      want: 'NodeAffinity',
    },
    { name: 'NoSchedule taints are the scheduler\'s business', pod: pod(), want: 'admit' },
    { name: 'pod OS label mismatch', pod: { ...pod(), metadata: { name: 'p', labels: { 'kubernetes.io/os': 'windows' } } }, want: 'PodOSSelectorNodeLabelDoesNotMatch' },
    { name: 'spec.os windows', pod: pod({ os: { name: 'windows' } }), want: 'PodOSNotSupported' },
    {
      name: 'host port taken',
      pod: pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
      admitted: [pod({ containers: [{ name: 'd', ports: [{ containerPort: 81, hostPort: 8080, protocol: 'TCP' }] }] })],
      want: 'NodePorts',
    },
  ];
  for (const tc of cases) {
    const got = admitPod(tc.pod, node, tc.admitted ?? []);
    assert.equal(got.admit ? 'admit' : got.reason, tc.want, tc.name);
    if (tc.message !== undefined && !got.admit) assert.equal(got.message, tc.message, tc.name);
  }
});

test('admitPod: untolerated NoExecute taints refuse, tolerated ones do not', () => {
  const tainted: Node = { ...node, spec: { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] } };
  const refused = admitPod(pod(), tainted, []);
  assert.deepEqual(refused, { admit: false, reason: 'TaintToleration', message: "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate" });
  assert.equal(admitPod(pod({ tolerations: [{ key: 'k', operator: 'Exists' }] }), tainted, []).admit, true);
  assert.equal(admitPod(pod({ tolerations: [{ key: 'k', value: 'w', effect: 'NoExecute' }] }), tainted, []).admit, false);
});

test('podRequests: max of the init steps, sidecars add up, overhead on top', () => {
  const p: Pod = {
    spec: {
      initContainers: [
        { name: 'big-init', resources: { requests: { cpu: '3' } } },
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
        { name: 'late-init', resources: { requests: { cpu: '1' } } },
      ],
      containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
      overhead: { cpu: '100m' },
    },
  };
  const r = podRequests(p);
  assert.equal(r.get('cpu'), 3100);
  assert.equal(r.get('memory'), 1024 ** 3);
});
