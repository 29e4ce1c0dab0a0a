import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disabledFieldsDropper, dropDisabledPodSpecFields } from './disabledfields.js';

test('fields of features off in 1.32 are dropped from new pod specs', () => {
  const spec: Record<string, any> = {
    resources: { limits: { cpu: '1' } },
    hostUsers: false,
    securityContext: { supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'Recursive', runAsUser: 1000 },
    resourceClaims: [{ name: 'gpu', resourceClaimName: 'gpu' }],
    containers: [{ name: 'c', resources: { claims: [{ name: 'gpu' }], limits: { cpu: '1' } } }],
    volumes: [{ name: 'v', image: { reference: 'x' } }, { name: 'e', emptyDir: {} }],
  };
  dropDisabledPodSpecFields(spec, undefined);
  assert.deepEqual(spec, {
    securityContext: { runAsUser: 1000 },
    containers: [{ name: 'c', resources: { limits: { cpu: '1' } } }],
    volumes: [{ name: 'v' }, { name: 'e', emptyDir: {} }],
  });
});

test('an update keeps a disabled field the stored object already uses', () => {
  const old = { resources: { limits: { cpu: '1' } }, hostUsers: false };
  const spec: Record<string, any> = { resources: { limits: { cpu: '2' } }, hostUsers: false, securityContext: { supplementalGroupsPolicy: 'Merge' } };
  dropDisabledPodSpecFields(spec, old);
  assert.deepEqual(spec, { resources: { limits: { cpu: '2' } }, hostUsers: false, securityContext: {} });
});

test('templates of workloads and Lease fields are covered; other kinds are not', () => {
  const dep: Record<string, any> = { spec: { template: { spec: { resources: {}, containers: [] } } } };
  disabledFieldsDropper('apps', 'Deployment')!(dep, undefined);
  assert.deepEqual(dep.spec.template.spec, { containers: [] });
  const cj: Record<string, any> = { spec: { jobTemplate: { spec: { template: { spec: { hostUsers: true } } } } } };
  disabledFieldsDropper('batch', 'CronJob')!(cj, undefined);
  assert.deepEqual(cj.spec.jobTemplate.spec.template.spec, {});
  const lease: Record<string, any> = { spec: { holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' } };
  disabledFieldsDropper('coordination.k8s.io', 'Lease')!(lease, undefined);
  assert.deepEqual(lease.spec, { holderIdentity: 'a' });
  assert.equal(disabledFieldsDropper('', 'ConfigMap'), undefined);
});
