import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../client/errors.js';
import { eventually } from '../../client/testenv.js';
import type { KubeObject } from '../../client/types.js';
import { startControllerTestEnv, type ControllerTestEnv } from '../common/testutil.js';
import { NamespaceConditionUpdater, type NamespaceCondition } from './conditions.js';
import { newNamespaceController, NAMESPACES } from './controller.js';
import type { Namespace } from './deleter.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

describe('namespace conditions', () => {
  test('a clean pass sets all five conditions False with the ok wording', () => {
    const status: { conditions?: NamespaceCondition[] } = {};
    const u = new NamespaceConditionUpdater(NOW);
    u.processContentTotals({ gvrToNumRemaining: new Map(), finalizersToNumRemaining: new Map() });
    assert.equal(u.update(status), true);
    assert.deepEqual(
      status.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
        ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
        ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
        ['NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'],
        ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
      ],
    );
    assert.equal(new NamespaceConditionUpdater(NOW + 5000).update(status), false, 'unchanged');
  });

  test('remaining content, finalizers and failures are reported as upstream words them', () => {
    const status: { conditions?: NamespaceCondition[] } = {};
    new NamespaceConditionUpdater(NOW).update(status);
    const u = new NamespaceConditionUpdater(NOW + 1000);
    u.processDiscoverResourcesErr('unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: boom', 1);
    u.processDeleteContentErr('unexpected items still remain in namespace: x for gvr: /v1, Resource=pods');
    u.processContentTotals({
      gvrToNumRemaining: new Map([
        ['pods.', 2],
        ['foos.example.com', 1],
      ]),
      finalizersToNumRemaining: new Map([['example.com/x', 1]]),
    });
    assert.equal(u.update(status), true);
    const by = (t: string) => status.conditions?.find((c) => c.type === t);
    assert.equal(by('NamespaceDeletionDiscoveryFailure')?.message, 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: boom');
    assert.equal(by('NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, '2024-01-01T12:00:01Z');
    assert.equal(by('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: x for gvr: /v1, Resource=pods');
    assert.equal(by('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.equal(by('NamespaceContentRemaining')?.message, 'Some resources are remaining: foos.example.com has 1 resource instances, pods. has 2 resource instances');
    assert.equal(by('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances');
  });
});

describe('namespace controller (in-process API server)', () => {
  let h: ControllerTestEnv;
  before(async () => {
    h = await startControllerTestEnv();
    await h.start(newNamespaceController(h.ctx, { deletionGracePeriodMs: 0 }));
  });
  after(async () => h.close());

  test('a deleted namespace is emptied, finalized and removed', async () => {
    await h.client.create(NAMESPACES, { metadata: { name: 'doomed' } });
    await h.client.create({ group: '', version: 'v1', resource: 'configmaps', namespace: 'doomed' }, { metadata: { name: 'cm' } });
    await h.client.create({ group: '', version: 'v1', resource: 'pods', namespace: 'doomed' }, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await h.client.create({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'doomed' }, {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    // Held by a finalizer: the namespace must wait for it.
    await h.client.create({ group: '', version: 'v1', resource: 'secrets', namespace: 'doomed' }, { metadata: { name: 's', finalizers: ['example.com/hold'] } });
    await h.client.delete({ ...NAMESPACES, name: 'doomed' });
    const ns = (): Promise<Namespace> => h.client.get<Namespace>({ ...NAMESPACES, name: 'doomed' });
    await eventually(async () => (await ns()).status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining')?.status === 'True', 5000, 'finalizers remaining');
    const st = (await ns()).status;
    assert.equal(st?.phase, 'Terminating');
    assert.equal(st?.conditions?.find((c) => c.type === 'NamespaceContentRemaining')?.message, 'Some resources are remaining: secrets. has 1 resource instances');
    assert.equal(st?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    for (const r of ['configmaps', 'pods']) assert.equal((await h.client.list({ group: '', version: 'v1', resource: r, namespace: 'doomed' })).items.length, 0, r);
    assert.equal((await h.client.list({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'doomed' })).items.length, 0);
    assert.deepEqual((await ns()).spec?.finalizers, ['kubernetes']);

    // Release the secret; the controller comes back (after the 15 s finalizer estimate, so poke it with an update).
    await h.client.patch({ group: '', version: 'v1', resource: 'secrets', namespace: 'doomed', name: 's' }, 'merge', { metadata: { finalizers: null } });
    await h.client.patch({ ...NAMESPACES, name: 'doomed' }, 'merge', { metadata: { labels: { poke: '1' } } });
    await eventually(async () => {
      try {
        await ns();
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    }, 5000, 'namespace removed');
  });

  test('a namespace that is not being deleted is left alone', async () => {
    await h.client.create(NAMESPACES, { metadata: { name: 'alive' } });
    await h.client.create<KubeObject>({ group: '', version: 'v1', resource: 'configmaps', namespace: 'alive' }, { metadata: { name: 'cm' } });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await h.client.list({ group: '', version: 'v1', resource: 'configmaps', namespace: 'alive' })).items.length, 1);
  });
});
