import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../client/testenv.js';
import type { KubeObject } from '../../client/types.js';
import { startControllerTestEnv, type ControllerTestEnv } from '../common/testutil.js';
import { newRootCACertPublisher, newServiceAccountController, NAMESPACES, ROOT_CA_CONFIGMAP, SERVICEACCOUNTS } from './controller.js';
import { DESCRIPTION } from './rootca.js';

const CM = { group: '', version: 'v1', resource: 'configmaps' };
type ConfigMap = KubeObject & { data?: Record<string, string> };

describe('service account controller and root CA publisher (in-process API server)', () => {
  let h: ControllerTestEnv;
  let ca = '';
  before(async () => {
    h = await startControllerTestEnv({ workers: 1 });
    ca = h.env.pki.ca.certPEM;
    await h.start(newServiceAccountController(h.ctx), newRootCACertPublisher(h.ctx, { caPEM: ca }));
  });
  after(async () => h.close());

  const exists = async (ref: Parameters<ControllerTestEnv['client']['get']>[0]): Promise<boolean> => {
    try {
      await h.client.get(ref);
      return true;
    } catch {
      return false;
    }
  };

  test('a new namespace gets the default service account and kube-root-ca.crt', async () => {
    await h.client.create(NAMESPACES, { metadata: { name: 'fresh' } });
    await eventually(() => exists({ ...SERVICEACCOUNTS, namespace: 'fresh', name: 'default' }), 5000, 'default SA');
    await eventually(() => exists({ ...CM, namespace: 'fresh', name: ROOT_CA_CONFIGMAP }), 5000, 'root CA configmap');
    const cm = await h.client.get<ConfigMap>({ ...CM, namespace: 'fresh', name: ROOT_CA_CONFIGMAP });
    assert.deepEqual(cm.data, { 'ca.crt': ca });
    assert.equal(cm.metadata?.annotations?.['kubernetes.io/description'], DESCRIPTION);
    // Namespaces that existed before the controllers started are covered too.
    await eventually(() => exists({ ...SERVICEACCOUNTS, namespace: 'default', name: 'default' }), 5000, 'default ns SA');
  });

  test('both come back when deleted, and the CA is restored when changed', async () => {
    await h.client.delete({ ...SERVICEACCOUNTS, namespace: 'fresh', name: 'default' });
    await h.client.delete({ ...CM, namespace: 'fresh', name: ROOT_CA_CONFIGMAP });
    await eventually(async () => (await exists({ ...SERVICEACCOUNTS, namespace: 'fresh', name: 'default' })) && (await exists({ ...CM, namespace: 'fresh', name: ROOT_CA_CONFIGMAP })), 5000, 'recreated');
    await h.client.patch({ ...CM, namespace: 'fresh', name: ROOT_CA_CONFIGMAP }, 'merge', { data: { 'ca.crt': 'tampered', extra: 'x' } });
    await eventually(async () => {
      const cm = await h.client.get<ConfigMap>({ ...CM, namespace: 'fresh', name: ROOT_CA_CONFIGMAP });
      return JSON.stringify(cm.data) === JSON.stringify({ 'ca.crt': ca });
    }, 5000, 'restored');
  });

  test('the publisher refuses to start without a CA', () => {
    assert.throws(() => newRootCACertPublisher(h.ctx, { caPEM: '' }), /caPEM/);
  });
});
