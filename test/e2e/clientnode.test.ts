/**
 * Smoke test with the JavaScript client @kubernetes/client-node against `kubelite up`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

test('client-node lists namespaces, creates, reads, watches and deletes a ConfigMap', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const nsList = await core.listNamespace();
  const names = nsList.items.map((n) => n.metadata?.name);
  for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(n), n);

  const events: string[] = [];
  const watch = new k8s.Watch(kc);
  const req = await watch.watch(
    '/api/v1/namespaces/default/configmaps',
    { fieldSelector: 'metadata.name=from-js' },
    (type: string) => events.push(type),
    () => undefined,
  );
  try {
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-js' }, data: { a: '1' } } });
    const read = await core.readNamespacedConfigMap({ name: 'from-js', namespace: 'default' });
    assert.equal(read.data?.a, '1');
    await core.deleteNamespacedConfigMap({ name: 'from-js', namespace: 'default' });
    for (let i = 0; i < 50 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(events, ['ADDED', 'DELETED']);
  } finally {
    req.abort();
  }
  await assert.rejects(core.readNamespacedConfigMap({ name: 'from-js', namespace: 'default' }), (e: unknown) => (e as { code?: number }).code === 404);
});
