import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../client/errors.js';
import { eventually } from '../../client/testenv.js';
import type { KubeObject, OwnerReference } from '../../client/types.js';
import { startControllerTestEnv, type ControllerTestEnv } from '../common/testutil.js';
import { isDeletingDependents, itemKey, newGarbageCollectorController, parseItemKey } from './controller.js';

const NS = 'default';
const CM = { group: '', version: 'v1', resource: 'configmaps' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const DEP = { group: 'apps', version: 'v1', resource: 'deployments' };

const ownerRef = (o: KubeObject, block = true): OwnerReference => ({
  apiVersion: o.apiVersion ?? '',
  kind: o.kind ?? '',
  name: o.metadata?.name ?? '',
  uid: o.metadata?.uid ?? '',
  controller: true,
  blockOwnerDeletion: block,
});

describe('item keys', () => {
  test('round-trip', () => {
    const k = itemKey(RS, { metadata: { namespace: 'ns', name: 'n', uid: 'u' } });
    assert.equal(k, 'apps|v1|replicasets|ns|n|u');
    assert.deepEqual(parseItemKey(k), { gvr: RS, namespace: 'ns', name: 'n', uid: 'u' });
    assert.deepEqual(parseItemKey(itemKey(PODS, { metadata: { name: 'x', uid: 'y' } })), { gvr: PODS, namespace: '', name: 'x', uid: 'y' });
  });
  test('isDeletingDependents', () => {
    assert.equal(isDeletingDependents({ metadata: { deletionTimestamp: 't', finalizers: ['foregroundDeletion'] } }), true);
    assert.equal(isDeletingDependents({ metadata: { finalizers: ['foregroundDeletion'] } }), false);
  });
});

describe('garbage collector (in-process API server)', () => {
  let h: ControllerTestEnv;
  before(async () => {
    h = await startControllerTestEnv({ workers: 4 });
    await h.start(newGarbageCollectorController(h.ctx));
  });
  after(async () => h.close());

  const gone = async (ref: { group: string; version: string; resource: string }, name: string): Promise<boolean> => {
    try {
      await h.client.get({ ...ref, namespace: NS, name });
      return false;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  };
  const pod = (name: string, owners: OwnerReference[], extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ownerReferences: owners, ...extra },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
  const rs = (name: string, owners: OwnerReference[] = []): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...(owners.length > 0 ? { ownerReferences: owners } : {}) },
    spec: { replicas: 0, selector: { matchLabels: { gc: name } }, template: { metadata: { labels: { gc: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });

  test('background: dependents of a deleted owner are deleted; one with another owner only loses the reference', async () => {
    const owner = await h.client.create<KubeObject>({ ...CM, namespace: NS }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bg-owner' } });
    const other = await h.client.create<KubeObject>({ ...CM, namespace: NS }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bg-other' } });
    await h.client.create({ ...PODS, namespace: NS }, pod('bg-dep', [ownerRef(owner)]));
    await h.client.create({ ...PODS, namespace: NS }, pod('bg-shared', [ownerRef(owner, false), { ...ownerRef(other, false), controller: false }]));
    await h.client.delete({ ...CM, namespace: NS, name: 'bg-owner' });
    await eventually(() => gone(PODS, 'bg-dep'), 5000, 'dependent deleted');
    await eventually(async () => (await h.client.get({ ...PODS, namespace: NS, name: 'bg-shared' })).metadata?.ownerReferences?.length === 1, 5000, 'reference dropped');
    const shared = await h.client.get({ ...PODS, namespace: NS, name: 'bg-shared' });
    assert.equal(shared.metadata?.ownerReferences?.[0]?.uid, other.metadata?.uid);
  });

  test('a cluster-scoped owner: a node lease goes with its node', async () => {
    const node = await h.client.create<KubeObject>({ group: '', version: 'v1', resource: 'nodes' }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-node' } });
    const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
    await h.client.create({ ...LEASES, namespace: NS }, { metadata: { name: 'gc-node', ownerReferences: [{ ...ownerRef(node, false), controller: false }] }, spec: {} });
    await h.client.delete({ group: '', version: 'v1', resource: 'nodes', name: 'gc-node' });
    await eventually(() => gone(LEASES, 'gc-node'), 5000, 'lease collected');
  });

  test('an object whose owner never existed is deleted', async () => {
    await h.client.create({ ...PODS, namespace: NS }, pod('dangling', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nope', uid: '00000000-0000-0000-0000-000000000000' }]));
    await eventually(() => gone(PODS, 'dangling'), 5000, 'dangling deleted');
  });

  test('foreground: the owner waits for blocking dependents, deeper levels included', async () => {
    const d = await h.client.create<KubeObject>({ ...DEP, namespace: NS }, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fg' },
      spec: { replicas: 0, selector: { matchLabels: { gc: 'fg' } }, template: { metadata: { labels: { gc: 'fg' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const r = await h.client.create<KubeObject>({ ...RS, namespace: NS }, rs('fg-rs', [ownerRef(d)]));
    await h.client.create({ ...PODS, namespace: NS }, pod('fg-pod', [ownerRef(r)]));
    // This pod holds on with a finalizer of its own: the deployment must wait for it.
    await h.client.create({ ...PODS, namespace: NS }, pod('fg-held', [ownerRef(r)], { finalizers: ['example.com/hold'] }));
    await h.client.delete({ ...DEP, namespace: NS, name: 'fg' }, { propagationPolicy: 'Foreground' });
    await eventually(() => gone(PODS, 'fg-pod'), 5000, 'pod deleted');
    await eventually(async () => isDeletingDependents(await h.client.get({ ...RS, namespace: NS, name: 'fg-rs' })), 5000, 'replica set deleting in foreground');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(await gone(DEP, 'fg'), false, 'the deployment waits');
    assert.equal(isDeletingDependents(await h.client.get({ ...DEP, namespace: NS, name: 'fg' })), true);
    await h.client.patch({ ...PODS, namespace: NS, name: 'fg-held' }, 'merge', { metadata: { finalizers: null } });
    await eventually(async () => (await gone(RS, 'fg-rs')) && (await gone(DEP, 'fg')), 5000, 'all gone');
  });

  test('orphan: dependents lose the reference and stay; the owner goes', async () => {
    const r = await h.client.create<KubeObject>({ ...RS, namespace: NS }, rs('orph-rs'));
    await h.client.create({ ...PODS, namespace: NS }, pod('orph-pod', [ownerRef(r)]));
    await h.client.delete({ ...RS, namespace: NS, name: 'orph-rs' }, { propagationPolicy: 'Orphan' });
    await eventually(() => gone(RS, 'orph-rs'), 5000, 'owner gone');
    const p = await h.client.get({ ...PODS, namespace: NS, name: 'orph-pod' });
    assert.equal(p.metadata?.ownerReferences, undefined);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(await gone(PODS, 'orph-pod'), false, 'not collected');
  });
});
