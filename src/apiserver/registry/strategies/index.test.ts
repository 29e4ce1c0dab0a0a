/**
 * The per-kind defaults and validation of src/api reach clients through strategyFor:
 * a 422 Status with upstream's message and one cause per field error, defaults in the
 * stored object, and the update-only rules (immutable fields) on PUT and PATCH.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../testharness.js';

let ts: TestServer;

before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

const ING = '/apis/networking.k8s.io/v1/namespaces/default/ingresses';
const RB = '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings';
const PDB = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const PODS = '/api/v1/namespaces/default/pods';
const SC = '/apis/storage.k8s.io/v1/storageclasses';
const PC = '/apis/scheduling.k8s.io/v1/priorityclasses';

interface Case {
  name: string;
  path: string;
  body: Record<string, unknown>;
  message: string;
  causes: { reason: string; field: string; message: string }[];
}

const invalidCreates: Case[] = [
  {
    name: 'Ingress with an unsupported pathType',
    path: ING,
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Regex', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
    message:
      'Ingress.networking.k8s.io "web" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    causes: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.rules[0].http.paths[0].pathType',
        message: 'Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      },
    ],
  },
  {
    name: 'PodDisruptionBudget with both bounds',
    path: PDB,
    body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'both' }, spec: { minAvailable: 1, maxUnavailable: '10%' } },
    message:
      'PodDisruptionBudget.policy "both" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000a10000), Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000a10040), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
    causes: [
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message:
          'Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000a10000), Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000a10040), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
      },
    ],
  },
  {
    name: 'Pod with two sources in one volume and a mount of an unknown volume',
    path: PODS,
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'vols' },
      spec: { volumes: [{ name: 'v', emptyDir: {}, configMap: { name: 'c' } }], containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'w', mountPath: '/w' }] }] },
    },
    message:
      'Pod "vols" is invalid: [spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type, spec.containers[0].volumeMounts[0].name: Not found: "w"]',
    causes: [
      { reason: 'FieldValueForbidden', field: 'spec.volumes[0].configMap', message: 'Forbidden: may not specify more than 1 volume type' },
      { reason: 'FieldValueNotFound', field: 'spec.containers[0].volumeMounts[0].name', message: 'Not found: "w"' },
    ],
  },
  {
    name: 'StorageClass without a provisioner',
    path: SC,
    body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'none' } },
    message: 'StorageClass.storage.k8s.io "none" is invalid: provisioner: Required value',
    causes: [{ reason: 'FieldValueRequired', field: 'provisioner', message: 'Required value' }],
  },
];

describe('invalid creates answer 422 with upstream causes', () => {
  for (const c of invalidCreates) {
    test(c.name, async () => {
      const r = await ts.post(c.path, c.body);
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.reason, 'Invalid');
      assert.equal(r.json.message, c.message);
      assert.deepEqual(r.json.details.causes, c.causes);
    });
  }
});

test('a RoleBinding is defaulted and its roleRef cannot change', async () => {
  const body = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'viewers' },
    roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: 'jane' }],
  };
  const c = await ts.post(RB, body);
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  assert.equal(c.json.subjects[0].apiGroup, 'rbac.authorization.k8s.io');

  const p = await ts.patch(`${RB}/viewers`, { roleRef: { name: 'edit' } }, 'application/merge-patch+json');
  assert.equal(p.status, 422, p.text);
  assert.equal(
    p.json.message,
    'RoleBinding.rbac.authorization.k8s.io "viewers" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
  );
  const s = await ts.patch(`${RB}/viewers`, { subjects: [{ kind: 'Group', name: 'devs' }] }, 'application/merge-patch+json');
  assert.equal(s.status, 200, 'subjects may change');
});

test('a StorageClass gets its defaults and keeps its provisioning inputs', async () => {
  const c = await ts.post(SC, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'example.com/ssd', parameters: { tier: '1' } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.reclaimPolicy, 'Delete');
  assert.equal(c.json.volumeBindingMode, 'Immediate');
  const p = await ts.patch(`${SC}/fast`, { parameters: { tier: '2' }, allowVolumeExpansion: true }, 'application/merge-patch+json');
  assert.equal(p.status, 422, p.text);
  assert.equal(p.json.message, 'StorageClass.storage.k8s.io "fast" is invalid: parameters: Forbidden: updates to parameters are forbidden.');
});

test('a PriorityClass gets its preemptionPolicy and keeps its value', async () => {
  const c = await ts.post(PC, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch' }, value: 100 });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.preemptionPolicy, 'PreemptLowerPriority');
  const p = await ts.patch(`${PC}/batch`, { value: 200 }, 'application/merge-patch+json');
  assert.equal(p.status, 422, p.text);
  assert.equal(p.json.message, 'PriorityClass.scheduling.k8s.io "batch" is invalid: value: Forbidden: may not be changed in an update.');
  const sys = await ts.post(PC, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-mine' }, value: 1 });
  assert.equal(sys.status, 422, sys.text);
  assert.match(sys.json.message, /metadata\.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only\. error: system-mine is not a known system priority class$/);
});
