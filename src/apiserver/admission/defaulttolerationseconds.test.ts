import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { findResource } from '../../api/resources.js';
import type { KObject } from '../registry/strategy.js';
import type { AdmissionAttributes, Operation } from './admission.js';
import { DefaultTolerationSeconds } from './defaulttolerationseconds.js';
import { startTestServer, type TestServer } from '../testharness.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

const NOT_READY_300 = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE_300 = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

function attrs(object: KObject | undefined, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE' as Operation,
    resource: PODS,
    subresource: '',
    namespace: 'default',
    name: 'p',
    object,
    oldObject: undefined,
    user: { name: 'u', groups: [] },
    dryRun: false,
    ...over,
  };
}

function pod(tolerations?: unknown[]): KObject {
  return { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...(tolerations ? { tolerations } : {}) } };
}

describe('DefaultTolerationSeconds', () => {
  const cases: { name: string; tolerations?: unknown[]; want: unknown[] }[] = [
    { name: 'no tolerations: both defaults added', want: [NOT_READY_300, UNREACHABLE_300] },
    {
      name: 'unrelated toleration kept, defaults appended',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }],
      want: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, NOT_READY_300, UNREACHABLE_300],
    },
    {
      name: 'own not-ready toleration kept, unreachable added',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, UNREACHABLE_300],
    },
    {
      name: 'own unreachable toleration without seconds kept, not-ready added',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, NOT_READY_300],
    },
    {
      name: 'a toleration with an empty effect counts',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY_300],
    },
    {
      name: 'tolerate-everything (empty key, Exists) covers both',
      tolerations: [{ operator: 'Exists' }],
      want: [{ operator: 'Exists' }],
    },
    {
      name: 'empty key with NoExecute covers both',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      want: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
    {
      name: 'a NoSchedule toleration of the key does not count',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY_300, UNREACHABLE_300],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = pod(c.tolerations);
      new DefaultTolerationSeconds().admit(attrs(p));
      assert.deepEqual(p.spec.tolerations, c.want);
    });
  }

  test('the seconds come from the options', () => {
    const p = pod();
    new DefaultTolerationSeconds({ notReadyTolerationSeconds: 30, unreachableTolerationSeconds: 45 }).admit(attrs(p));
    assert.deepEqual(
      p.spec.tolerations.map((t: { tolerationSeconds: number }) => t.tolerationSeconds),
      [30, 45],
    );
  });

  test('options are checked', () => {
    assert.throws(() => new DefaultTolerationSeconds({ notReadyTolerationSeconds: 1.5 }), /--default-not-ready-toleration-seconds/);
    assert.throws(() => new DefaultTolerationSeconds({ unreachableTolerationSeconds: Number.NaN }), /--default-unreachable-toleration-seconds/);
  });

  test('UPDATE adds them too, as upstream', () => {
    const p = pod();
    new DefaultTolerationSeconds().admit(attrs(p, { operation: 'UPDATE', oldObject: pod() }));
    assert.equal(p.spec.tolerations.length, 2);
  });

  const untouched: { name: string; over: Partial<AdmissionAttributes> }[] = [
    { name: 'DELETE', over: { operation: 'DELETE' } },
    { name: 'a subresource (status)', over: { subresource: 'status' } },
    { name: 'another resource', over: { resource: NODES } },
  ];
  for (const c of untouched) {
    test(`leaves ${c.name} alone`, () => {
      const p = pod();
      new DefaultTolerationSeconds().admit(attrs(p, c.over));
      assert.equal(p.spec.tolerations, undefined);
    });
  }

  test('a pod without spec gets one (validation judges the rest)', () => {
    const p: KObject = { kind: 'Pod', metadata: { name: 'p' } };
    new DefaultTolerationSeconds().admit(attrs(p));
    assert.deepEqual(p.spec, { tolerations: [NOT_READY_300, UNREACHABLE_300] });
  });

  describe('through the API server', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startTestServer({ server: { admissionPlugins: [new DefaultTolerationSeconds({ unreachableTolerationSeconds: 120 })] } });
    });
    after(async () => {
      await srv.close();
    });

    test('a created pod carries the default tolerations', async () => {
      const res = await srv.post('/api/v1/namespaces/default/pods', pod([{ key: 'a', operator: 'Exists' }]));
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.json.spec.tolerations, [{ key: 'a', operator: 'Exists' }, NOT_READY_300, { ...UNREACHABLE_300, tolerationSeconds: 120 }]);
    });

    test('a pod that tolerates both keeps its own', async () => {
      const own = [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 },
      ];
      const res = await srv.post('/api/v1/namespaces/default/pods', { ...pod(own), metadata: { name: 'q' } });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.json.spec.tolerations, own);
    });
  });
});
