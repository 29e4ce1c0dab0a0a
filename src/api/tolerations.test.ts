import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { findUntoleratedTaint, getMatchingTolerations, toleratesTaint, tolerationsTolerateTaint } from './tolerations.js';

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

describe('getMatchingTolerations', () => {
  const t300: Toleration = { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
  const t60: Toleration = { key: notReady.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 };
  const forever: Toleration = { key: unreachable.key, operator: 'Exists', effect: 'NoExecute' };
  const all: Toleration = { operator: 'Exists' };
  const zero: Toleration = { key: unreachable.key, operator: 'Exists', tolerationSeconds: 0 };
  const negative: Toleration = { key: unreachable.key, operator: 'Exists', tolerationSeconds: -5 };
  const cases: { name: string; taints: Taint[]; tols: Toleration[]; allTolerated: boolean; used: Toleration[] }[] = [
    { name: 'no taints: tolerated, nothing used', taints: [], tols: [], allTolerated: true, used: [] },
    { name: 'a taint and no tolerations: evict at once', taints: [unreachable], tols: [], allTolerated: false, used: [] },
    { name: 'one taint tolerated for 300s', taints: [unreachable], tols: [t300], allTolerated: true, used: [t300] },
    { name: 'two taints: the minimum wins', taints: [unreachable, notReady], tols: [t300, t60], allTolerated: true, used: [t300, t60] },
    { name: 'one of two taints not tolerated', taints: [unreachable, dedicated], tols: [t300], allTolerated: false, used: [] },
    { name: 'no seconds: forever', taints: [unreachable], tols: [forever], allTolerated: true, used: [forever] },
    { name: 'the first matching toleration is the one used', taints: [unreachable], tols: [forever, t300], allTolerated: true, used: [forever] },
    { name: 'first match with seconds, forever one later', taints: [unreachable], tols: [t300, forever], allTolerated: true, used: [t300] },
    { name: 'tolerate everything', taints: [unreachable, dedicated], tols: [all], allTolerated: true, used: [all, all] },
    { name: 'forever for one taint, 60s for another', taints: [unreachable, notReady], tols: [forever, t60], allTolerated: true, used: [forever, t60] },
    { name: 'zero seconds: at once', taints: [unreachable], tols: [zero], allTolerated: true, used: [zero] },
    { name: 'negative seconds: at once', taints: [unreachable], tols: [negative], allTolerated: true, used: [negative] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = getMatchingTolerations(c.taints, c.tols);
      assert.equal(got.allTolerated, c.allTolerated);
      assert.deepEqual(got.used, c.used);
    });
  }
});

describe('findUntoleratedTaint', () => {
  const noSchedule: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const prefer: Taint = { key: 'soft', effect: 'PreferNoSchedule' };
  const hard = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
  const cases: { name: string; taints?: Taint[]; tols: Toleration[]; want: Taint | undefined }[] = [
    { name: 'no taints', tols: [], want: undefined },
    { name: 'the first untolerated included taint', taints: [prefer, unreachable, noSchedule], tols: [], want: unreachable },
    { name: 'taints left out by include are ignored', taints: [prefer], tols: [], want: undefined },
    { name: 'tolerated taints are skipped', taints: [unreachable, noSchedule], tols: [{ key: unreachable.key, operator: 'Exists' }], want: noSchedule },
    { name: 'all tolerated', taints: [unreachable, noSchedule], tols: [{ operator: 'Exists' }], want: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(findUntoleratedTaint(c.taints, c.tols, hard), c.want);
    });
  }
});

describe('tolerationsTolerateTaint', () => {
  const cases: { name: string; tols: Toleration[] | undefined; want: boolean }[] = [
    { name: 'no tolerations', tols: undefined, want: false },
    { name: 'none matches', tols: [{ key: 'other', operator: 'Exists' }, { key: 'dedicated', value: 'cpu' }], want: false },
    { name: 'a later one matches', tols: [{ key: 'other', operator: 'Exists' }, { key: 'dedicated', value: 'gpu' }], want: true },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(tolerationsTolerateTaint(c.tols, dedicated), c.want));
  }
});
