import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeletedFinalStateUnknown,
  Indexer,
  NAMESPACE_INDEX,
  NODE_NAME_INDEX,
  OWNER_UID_INDEX,
  deletionHandlingKey,
  metaNamespaceKey,
  nodeNameIndexFunc,
  ownerUIDIndexFunc,
  splitMetaNamespaceKey,
  unwrapTombstone,
} from './indexer.js';
import type { KubeObject } from './types.js';

function pod(ns: string, name: string, o: { node?: string; owners?: string[]; labels?: Record<string, string> } = {}): KubeObject {
  return {
    metadata: {
      name,
      ...(ns ? { namespace: ns } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.owners ? { ownerReferences: o.owners.map((uid) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid })) } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
  };
}

const names = (xs: KubeObject[]): string[] => xs.map((o) => o.metadata?.name ?? '').sort();

describe('keys', () => {
  const cases = [
    { name: 'namespaced', obj: pod('ns', 'a'), want: 'ns/a' },
    { name: 'cluster-scoped', obj: pod('', 'node-1'), want: 'node-1' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(metaNamespaceKey(c.obj), c.want);
      const back = splitMetaNamespaceKey(c.want);
      assert.deepEqual(back, { namespace: c.obj.metadata?.namespace ?? '', name: c.obj.metadata?.name });
    });
  }
  test('no name is an error', () => assert.throws(() => metaNamespaceKey({ metadata: {} })));
  test('bad key is an error', () => assert.throws(() => splitMetaNamespaceKey('a/b/c')));
  test('tombstones', () => {
    const t = new DeletedFinalStateUnknown('ns/a', pod('ns', 'a'));
    assert.equal(deletionHandlingKey(t), 'ns/a');
    assert.equal(unwrapTombstone(t).metadata?.name, 'a');
    assert.equal(deletionHandlingKey(pod('x', 'y')), 'x/y');
  });
});

describe('index functions', () => {
  const cases = [
    { name: 'node name', fn: nodeNameIndexFunc, obj: pod('a', 'p', { node: 'n1' }), want: ['n1'] },
    { name: 'unscheduled', fn: nodeNameIndexFunc, obj: pod('a', 'p'), want: [] },
    { name: 'owners', fn: ownerUIDIndexFunc, obj: pod('a', 'p', { owners: ['u1', 'u2'] }), want: ['u1', 'u2'] },
    { name: 'no owners', fn: ownerUIDIndexFunc, obj: pod('a', 'p'), want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(c.fn(c.obj), c.want));
});

describe('Indexer', () => {
  test('indexes follow add, update, delete', () => {
    const ix = new Indexer({ indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    ix.add(pod('a', 'p1', { node: 'n1' }));
    ix.add(pod('a', 'p2', { node: 'n1' }));
    ix.add(pod('b', 'p3', { node: 'n2' }));
    assert.deepEqual(names(ix.byIndex(NODE_NAME_INDEX, 'n1')), ['p1', 'p2']);
    assert.deepEqual(names(ix.byIndex(NAMESPACE_INDEX, 'a')), ['p1', 'p2']);
    const old = ix.update(pod('a', 'p2', { node: 'n2' }));
    assert.equal((old?.['spec'] as { nodeName: string }).nodeName, 'n1');
    assert.deepEqual(names(ix.byIndex(NODE_NAME_INDEX, 'n1')), ['p1']);
    assert.deepEqual(names(ix.byIndex(NODE_NAME_INDEX, 'n2')), ['p2', 'p3']);
    ix.delete(pod('a', 'p1'));
    assert.deepEqual(ix.byIndex(NODE_NAME_INDEX, 'n1'), []);
    assert.deepEqual(ix.listIndexValues(NODE_NAME_INDEX).sort(), ['n2']);
    assert.deepEqual(names(ix.index(NODE_NAME_INDEX, pod('z', 'q', { node: 'n2' }))), ['p2', 'p3']);
    assert.equal(ix.size, 2);
    assert.deepEqual(ix.listKeys().sort(), ['a/p2', 'b/p3']);
    assert.equal(ix.getByKey('b/p3')?.metadata?.name, 'p3');
  });

  test('indexers added later are built over the content; duplicates refused', () => {
    const ix = new Indexer();
    ix.add(pod('a', 'p1', { owners: ['rs1'] }));
    ix.add(pod('a', 'p2', { owners: ['rs1', 'rs2'] }));
    ix.addIndexers({ [OWNER_UID_INDEX]: ownerUIDIndexFunc });
    assert.deepEqual(names(ix.byIndex(OWNER_UID_INDEX, 'rs1')), ['p1', 'p2']);
    assert.deepEqual(ix.indexKeys(OWNER_UID_INDEX, 'rs2'), ['a/p2']);
    assert.throws(() => ix.addIndexers({ [OWNER_UID_INDEX]: ownerUIDIndexFunc }), /already exists/);
    assert.throws(() => ix.byIndex('nope', 'x'), /does not exist/);
  });

  test('replace rebuilds everything', () => {
    const ix = new Indexer({ indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    ix.add(pod('a', 'p1', { node: 'n1' }));
    ix.replace([pod('b', 'p9', { node: 'n9' })]);
    assert.deepEqual(ix.byIndex(NODE_NAME_INDEX, 'n1'), []);
    assert.deepEqual(names(ix.byIndex(NODE_NAME_INDEX, 'n9')), ['p9']);
    assert.deepEqual(ix.byIndex(NAMESPACE_INDEX, 'a'), []);
  });
});
