// Table-driven tests of the node controllers' taint helpers (taints.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { getMatchingTolerations } from '../../api/tolerations.js';
import { addOrUpdateTaint, addOrUpdateToleration, deleteTaint, minTolerationTimeMs, noExecuteTaints, taintSetDiff, taintToString } from './taints.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

describe('minTolerationTimeMs over the used tolerations', () => {
  const t300: Toleration = { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
  const t60: Toleration = { key: notReady.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 };
  const forever: Toleration = { key: unreachable.key, operator: 'Exists', effect: 'NoExecute' };
  const all: Toleration = { operator: 'Exists' };
  const zero: Toleration = { key: unreachable.key, operator: 'Exists', tolerationSeconds: 0 };
  const negative: Toleration = { key: unreachable.key, operator: 'Exists', tolerationSeconds: -5 };
  const cases: { name: string; taints: Taint[]; tols: Toleration[]; allTolerated: boolean; used: Toleration[]; waitMs: number }[] = [
    { name: 'no taints: tolerated, nothing used', taints: [], tols: [], allTolerated: true, used: [], waitMs: 0 },
    { name: 'a taint and no tolerations: evict at once', taints: [unreachable], tols: [], allTolerated: false, used: [], waitMs: 0 },
    { name: 'one taint tolerated for 300s', taints: [unreachable], tols: [t300], allTolerated: true, used: [t300], waitMs: 300_000 },
    { name: 'two taints: the minimum wins', taints: [unreachable, notReady], tols: [t300, t60], allTolerated: true, used: [t300, t60], waitMs: 60_000 },
    { name: 'one of two taints not tolerated', taints: [unreachable, dedicated], tols: [t300], allTolerated: false, used: [], waitMs: 0 },
    { name: 'no seconds: forever', taints: [unreachable], tols: [forever], allTolerated: true, used: [forever], waitMs: -1 },
    { name: 'the first matching toleration is the one used', taints: [unreachable], tols: [forever, t300], allTolerated: true, used: [forever], waitMs: -1 },
    { name: 'first match with seconds, forever one later', taints: [unreachable], tols: [t300, forever], allTolerated: true, used: [t300], waitMs: 300_000 },
    { name: 'tolerate everything', taints: [unreachable, dedicated], tols: [all], allTolerated: true, used: [all, all], waitMs: -1 },
    { name: 'forever for one taint, 60s for another', taints: [unreachable, notReady], tols: [forever, t60], allTolerated: true, used: [forever, t60], waitMs: 60_000 },
    { name: 'zero seconds: at once', taints: [unreachable], tols: [zero], allTolerated: true, used: [zero], waitMs: 0 },
    { name: 'negative seconds: at once', taints: [unreachable], tols: [negative], allTolerated: true, used: [negative], waitMs: 0 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = getMatchingTolerations(c.taints, c.tols);
      assert.equal(got.allTolerated, c.allTolerated);
      assert.deepEqual(got.used, c.used);
      if (got.allTolerated) assert.equal(minTolerationTimeMs(got.used), c.waitMs);
    });
  }
});

describe('taint list operations', () => {
  const ns: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };
  test('addOrUpdateTaint', () => {
    const cases: { name: string; taints: Taint[]; add: Taint; want: Taint[]; updated: boolean }[] = [
      { name: 'adds a missing taint', taints: [ns], add: unreachable, want: [ns, unreachable], updated: true },
      { name: 'same taint: unchanged', taints: [unreachable], add: { ...unreachable }, want: [unreachable], updated: false },
      {
        name: 'same key+effect, new timeAdded: replaced in place',
        taints: [{ ...unreachable, timeAdded: '2024-01-01T00:00:00Z' }, ns],
        add: { ...unreachable, timeAdded: '2024-01-01T00:05:00Z' },
        want: [{ ...unreachable, timeAdded: '2024-01-01T00:05:00Z' }, ns],
        updated: true,
      },
      { name: 'same key, other effect: added', taints: [ns], add: { key: ns.key, effect: 'NoExecute' }, want: [ns, { key: ns.key, effect: 'NoExecute' }], updated: true },
    ];
    for (const c of cases) {
      const got = addOrUpdateTaint(c.taints, c.add);
      assert.deepEqual(got, { taints: c.want, updated: c.updated }, c.name);
    }
  });

  test('deleteTaint matches by key and effect only', () => {
    assert.deepEqual(deleteTaint([{ ...unreachable, timeAdded: 'x' }, ns], unreachable), { taints: [ns], deleted: true });
    assert.deepEqual(deleteTaint([ns], unreachable), { taints: [ns], deleted: false });
    assert.deepEqual(deleteTaint(undefined, unreachable), { taints: [], deleted: false });
  });

  test('taintSetDiff', () => {
    const unsched: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
    const got = taintSetDiff([ns, unsched], [{ ...ns, timeAdded: 't' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    assert.deepEqual(got, { toAdd: [unsched], toRemove: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] });
  });

  test('noExecuteTaints and taintToString', () => {
    assert.deepEqual(noExecuteTaints([ns, unreachable, dedicated]), [unreachable, dedicated]);
    assert.equal(taintToString(dedicated), 'dedicated=gpu:NoExecute');
    assert.equal(taintToString(ns), 'node.kubernetes.io/unreachable:NoSchedule');
  });
});

describe('addOrUpdateToleration', () => {
  const unreachableTol: Toleration = { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
  const cases: { name: string; tols: Toleration[]; add: Toleration; want: Toleration[] }[] = [
    { name: 'adds a missing toleration', tols: [], add: unreachableTol, want: [unreachableTol] },
    { name: 'replaces one differing only in tolerationSeconds', tols: [{ ...unreachableTol, tolerationSeconds: 5 }], add: unreachableTol, want: [unreachableTol] },
    { name: 'keeps one with another effect', tols: [{ ...unreachableTol, effect: 'NoSchedule' }], add: unreachableTol, want: [{ ...unreachableTol, effect: 'NoSchedule' }, unreachableTol] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(addOrUpdateToleration(c.tols, c.add), c.want));
  }
});
