// Table-driven tests of the taint/toleration helpers in ../common/taints.ts (kept here:
// common/ holds only shared code).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import {
  addOrUpdateTaint,
  deleteTaint,
  getMatchingTolerations,
  minTolerationTimeMs,
  noExecuteTaints,
  taintSetDiff,
  taintToString,
  toleratesTaint,
} from '../common/taints.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

describe('toleratesTaint', () => {
  const cases: { name: string; tol: Toleration; taint: Taint; want: boolean }[] = [
    { name: 'Exists with same key and effect', tol: { key: unreachable.key, operator: 'Exists', effect: 'NoExecute' }, taint: unreachable, want: true },
    { name: 'Exists with an empty effect matches any effect', tol: { key: unreachable.key, operator: 'Exists' }, taint: unreachable, want: true },
    { name: 'Exists with an empty key matches every taint', tol: { operator: 'Exists' }, taint: dedicated, want: true },
    { name: 'empty key with another effect does not match', tol: { operator: 'Exists', effect: 'NoSchedule' }, taint: dedicated, want: false },
    { name: 'another key does not match', tol: { key: 'other', operator: 'Exists' }, taint: unreachable, want: false },
    { name: 'another effect does not match', tol: { key: unreachable.key, operator: 'Exists', effect: 'NoSchedule' }, taint: unreachable, want: false },
    { name: 'Equal with the same value', tol: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }, taint: dedicated, want: true },
    { name: 'Equal with another value', tol: { key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoExecute' }, taint: dedicated, want: false },
    { name: 'empty operator means Equal', tol: { key: 'dedicated', value: 'gpu' }, taint: dedicated, want: true },
    { name: 'empty operator, empty value vs a valued taint', tol: { key: 'dedicated' }, taint: dedicated, want: false },
    { name: 'empty operator, both values empty', tol: { key: unreachable.key }, taint: unreachable, want: true },
    { name: 'Exists ignores the value', tol: { key: 'dedicated', operator: 'Exists', value: 'x' }, taint: dedicated, want: true },
    { name: 'an unknown operator tolerates nothing', tol: { key: 'dedicated', operator: 'Gt', value: 'gpu' }, taint: dedicated, want: false },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(toleratesTaint(c.tol, c.taint), c.want));
  }
});

describe('getMatchingTolerations + minTolerationTimeMs', () => {
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
