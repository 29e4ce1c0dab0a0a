import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, type TestEnv } from '../client/testenv.js';
import type { KubeObject } from '../client/types.js';
import { BOOTSTRAP_FIELD_MANAGER, bootstrapCluster } from './bootstrap.js';

describe('bootstrapCluster', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv();
    await bootstrapCluster(env.server, { serviceIP: '10.96.0.1', endpointIP: '127.0.0.1', endpointPort: 6443 });
    // A restart on another address repairs the endpoints (the update path).
    await bootstrapCluster(env.server, { serviceIP: '10.96.0.1', endpointIP: '127.0.0.2', endpointPort: 6443 });
  });
  after(() => env.close());

  const objects: { name: string; ref: { group: string; version: string; resource: string; namespace?: string; name: string } }[] = [
    { name: 'a system namespace', ref: { group: '', version: 'v1', resource: 'namespaces', name: 'kube-system' } },
    { name: 'the kubernetes Service', ref: { group: '', version: 'v1', resource: 'services', namespace: 'default', name: 'kubernetes' } },
    { name: 'its Endpoints, repaired', ref: { group: '', version: 'v1', resource: 'endpoints', namespace: 'default', name: 'kubernetes' } },
    { name: 'its EndpointSlice, repaired', ref: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: 'default', name: 'kubernetes' } },
    { name: 'a system PriorityClass', ref: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', name: 'system-node-critical' } },
  ];
  for (const o of objects) {
    test(`${o.name} is managed by kube-apiserver, as upstream's loopback client writes it`, async () => {
      const got = await env.client().get<KubeObject & { metadata?: { managedFields?: { manager?: string }[] } }>(o.ref);
      const managers = (got.metadata?.managedFields ?? []).map((f) => f.manager);
      assert.deepEqual([...new Set(managers)], [BOOTSTRAP_FIELD_MANAGER]);
    });
  }

  test('the repair moved the endpoints', async () => {
    const ep = await env.client().get<KubeObject & { subsets?: { addresses?: { ip: string }[] }[] }>({ group: '', version: 'v1', resource: 'endpoints', namespace: 'default', name: 'kubernetes' });
    assert.equal(ep.subsets?.[0]?.addresses?.[0]?.ip, '127.0.0.2');
  });
});
