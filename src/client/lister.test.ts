import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Indexer, NODE_NAME_INDEX, nodeNameIndexFunc } from './indexer.js';
import { Lister } from './lister.js';
import { parseSelector } from '../apimachinery/labels.js';
import type { KubeObject } from './types.js';

function pod(ns: string, name: string, o: { node?: string; labels?: Record<string, string> } = {}): KubeObject {
  return { metadata: { name, ...(ns ? { namespace: ns } : {}), ...(o.labels ? { labels: o.labels } : {}) }, spec: o.node ? { nodeName: o.node } : {} };
}

const names = (xs: KubeObject[]): string[] => xs.map((o) => o.metadata?.name ?? '').sort();

describe('Lister', () => {
  const ix = new Indexer({ indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
  ix.add(pod('a', 'web-1', { labels: { app: 'web', tier: 'front' }, node: 'n1' }));
  ix.add(pod('a', 'web-2', { labels: { app: 'web' } }));
  ix.add(pod('b', 'db-1', { labels: { app: 'db' }, node: 'n1' }));
  ix.add(pod('', 'node-x', { labels: { app: 'web' } }));
  const l = new Lister(ix);
  const cases: { name: string; got: () => KubeObject[]; want: string[] }[] = [
    { name: 'all', got: () => l.list(), want: ['db-1', 'node-x', 'web-1', 'web-2'] },
    { name: 'selector string', got: () => l.list('app=web'), want: ['node-x', 'web-1', 'web-2'] },
    { name: 'Selector object', got: () => l.list(parseSelector('app in (web,db),tier!=front')), want: ['db-1', 'node-x', 'web-2'] },
    { name: 'namespace', got: () => l.namespace('a').list(), want: ['web-1', 'web-2'] },
    { name: 'namespace + selector', got: () => l.namespace('a').list('tier'), want: ['web-1'] },
    { name: 'by index', got: () => l.byIndex(NODE_NAME_INDEX, 'n1'), want: ['db-1', 'web-1'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(names(c.got()), c.want));
  test('get', () => {
    assert.equal(l.get('a', 'web-1')?.metadata?.name, 'web-1');
    assert.equal(l.get('', 'node-x')?.metadata?.name, 'node-x');
    assert.equal(l.get('b', 'web-1'), undefined);
    assert.equal(l.namespace('b').get('db-1')?.metadata?.name, 'db-1');
  });
  test('a bad selector string is a BadRequest', () => assert.throws(() => l.list('a in (')));
});
