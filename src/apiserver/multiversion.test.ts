/**
 * Kinds served in two versions share one stored object: an Event written as core/v1
 * is read as events.k8s.io/v1 and back, an HPA written as autoscaling/v1 reads as v2.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testharness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

test('an Event is one object in both versions', async () => {
  const created = await ts.post('/api/v1/namespaces/default/events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Started',
    message: 'Started container web',
    type: 'Normal',
  });
  assert.equal(created.status, 201, created.text);
  const asNew = await ts.get('/apis/events.k8s.io/v1/namespaces/default/events/web.1');
  assert.equal(asNew.status, 200, asNew.text);
  assert.equal(asNew.json.apiVersion, 'events.k8s.io/v1');
  assert.equal(asNew.json.note, 'Started container web');
  assert.deepEqual(asNew.json.regarding, { kind: 'Pod', name: 'web', namespace: 'default' });
  assert.equal(asNew.json.involvedObject, undefined);
  const list = await ts.get('/apis/events.k8s.io/v1/namespaces/default/events');
  assert.deepEqual(
    list.json.items.map((e: { note: string }) => e.note),
    ['Started container web'],
  );
  const back = await ts.get('/api/v1/namespaces/default/events/web.1');
  assert.equal(back.json.message, 'Started container web');
});

test('an HPA written as autoscaling/v1 reads as v2 with a cpu metric', async () => {
  const created = await ts.post('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 60 },
  });
  assert.equal(created.status, 201, created.text);
  const v2 = await ts.get('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web');
  assert.equal(v2.json.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.json.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
});
