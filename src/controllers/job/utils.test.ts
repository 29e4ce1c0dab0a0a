import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { firstPendingIndexes, formatIndexes, parseIndexes, podGenerateNameWithIndex, totalIndexes, withIndexes } from './indexes.js';
import {
  activePodsForRemoval,
  backoffRemaining,
  ensureCondition,
  isPodFailed,
  nextBackoffRecord,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  wantActive,
  withJobDefaults,
  type JobObj,
  type PodObj,
} from './utils.js';

function job(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): JobObj {
  return withJobDefaults({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', uid: 'job-uid' }, spec: { template: { spec: { containers: [] } }, ...spec }, status } as JobObj);
}

function pod(name: string, o: { phase?: string; index?: number; restarts?: number; ready?: boolean; deleting?: boolean; finishedAt?: string } = {}): PodObj {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      ...(o.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(o.index) } } : {}),
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ready ? { conditions: [{ type: 'Ready', status: 'True' }] } : {}),
      containerStatuses: [
        {
          name: 'c',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: o.restarts ?? 0,
          ...(o.finishedAt ? { state: { terminated: { exitCode: 1, finishedAt: o.finishedAt } } } : {}),
        },
      ],
    },
  };
}

test('withJobDefaults', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: Record<string, unknown> }[] = [
    { name: 'nothing set', spec: {}, want: { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' } },
    { name: 'work queue', spec: { parallelism: 3 }, want: { completions: undefined, parallelism: 3, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' } },
    { name: 'completions only', spec: { completions: 5 }, want: { completions: 5, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' } },
  ];
  for (const c of cases) {
    const s = job(c.spec).spec;
    const got = { completions: s?.completions, parallelism: s?.parallelism, backoffLimit: s?.backoffLimit, completionMode: s?.completionMode, suspend: s?.suspend, podReplacementPolicy: s?.podReplacementPolicy };
    assert.deepEqual(got, c.want, c.name);
  }
  assert.deepEqual(job().spec?.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } });
});

test('completed indexes parse, merge and print as intervals', () => {
  const cases: { name: string; in: string; completions: number; add: number[]; want: string; total: number }[] = [
    { name: 'empty', in: '', completions: 5, add: [], want: '', total: 0 },
    { name: 'merge adjacent', in: '1,3', completions: 5, add: [2], want: '1-3', total: 3 },
    { name: 'ranges', in: '0-2,5', completions: 10, add: [7, 6], want: '0-2,5-7', total: 6 },
    { name: 'beyond completions dropped', in: '1,3-9', completions: 5, add: [], want: '1,3-4', total: 3 },
    { name: 'garbage skipped', in: 'x,2', completions: 5, add: [], want: '2', total: 1 },
  ];
  for (const c of cases) {
    const iv = withIndexes(parseIndexes(c.in, c.completions), c.add);
    assert.equal(formatIndexes(iv), c.want, c.name);
    assert.equal(totalIndexes(iv), c.total, c.name);
  }
});

test('firstPendingIndexes skips succeeded and active indexes', () => {
  const succeeded = parseIndexes('0,2', 6);
  const active = [pod('a', { index: 1 }), pod('b', { index: 4 })];
  assert.deepEqual(firstPendingIndexes(succeeded, active, 2, 6), [3, 5]);
  assert.deepEqual(firstPendingIndexes(succeeded, active, 10, 6), [3, 5]);
  assert.deepEqual(firstPendingIndexes([], [], 0, 6), []);
});

test('podGenerateNameWithIndex', () => {
  assert.equal(podGenerateNameWithIndex('pi', 3), 'pi-3-');
  const long = 'x'.repeat(60);
  const g = podGenerateNameWithIndex(long, 12);
  assert.equal(g.length, 58);
  assert.ok(g.endsWith('-12-'));
});

test('wantActive', () => {
  const cases: { name: string; spec: Record<string, unknown>; succeeded: number; active: number; want: number }[] = [
    { name: 'completions bound', spec: { completions: 5, parallelism: 3 }, succeeded: 4, active: 1, want: 1 },
    { name: 'parallelism bound', spec: { completions: 5, parallelism: 2 }, succeeded: 0, active: 0, want: 2 },
    { name: 'done', spec: { completions: 2, parallelism: 2 }, succeeded: 3, active: 0, want: 0 },
    { name: 'work queue before success', spec: { parallelism: 3 }, succeeded: 0, active: 1, want: 3 },
    { name: 'work queue after a success', spec: { parallelism: 3 }, succeeded: 1, active: 2, want: 2 },
  ];
  for (const c of cases) assert.equal(wantActive(job(c.spec), c.succeeded, c.active), c.want, c.name);
});

test('pastBackoffLimitOnFailure counts container restarts of live pods', () => {
  const onFailure = (limit: number): JobObj => job({ backoffLimit: limit, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } });
  const cases: { name: string; job: JobObj; pods: PodObj[]; want: boolean }[] = [
    { name: 'restartPolicy Never never counts', job: job({ backoffLimit: 1 }), pods: [pod('a', { restarts: 5 })], want: false },
    { name: 'below limit', job: onFailure(3), pods: [pod('a', { restarts: 1 }), pod('b', { restarts: 1 })], want: false },
    { name: 'at limit', job: onFailure(3), pods: [pod('a', { restarts: 2 }), pod('b', { restarts: 1 })], want: true },
    { name: 'limit 0: any restart', job: onFailure(0), pods: [pod('a', { restarts: 1 })], want: true },
    { name: 'finished pods ignored', job: onFailure(1), pods: [pod('a', { restarts: 3, phase: 'Failed' })], want: false },
  ];
  for (const c of cases) assert.equal(pastBackoffLimitOnFailure(c.job, c.pods), c.want, c.name);
});

test('pastActiveDeadline on a fake clock', () => {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
  const j = job({ activeDeadlineSeconds: 30 }, { startTime: '2024-01-01T00:00:00Z' });
  assert.equal(pastActiveDeadline(j, clock.now()), false);
  clock.advance(29_000);
  assert.equal(pastActiveDeadline(j, clock.now()), false);
  clock.advance(1_000);
  assert.equal(pastActiveDeadline(j, clock.now()), true);
  assert.equal(pastActiveDeadline(job({ activeDeadlineSeconds: 30, suspend: true }, { startTime: '2024-01-01T00:00:00Z' }), clock.now()), false);
});

test('pod failure back-off doubles from 10 s up to 6 min and resets after a success', () => {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
  const at = (s: number): string => new Date(Date.parse('2024-01-01T00:00:00Z') + s * 1000).toISOString();
  let rec = nextBackoffRecord(undefined, [], [pod('f1', { phase: 'Failed', finishedAt: at(0) })], clock.now());
  assert.deepEqual(rec, { failuresAfterLastSuccess: 1, lastFailureTime: clock.now() });
  assert.equal(backoffRemaining(rec, clock.now()), 10_000);
  clock.advance(4_000);
  assert.equal(backoffRemaining(rec, clock.now()), 6_000);
  rec = nextBackoffRecord(rec, [], [pod('f2', { phase: 'Failed', finishedAt: at(4) })], clock.now());
  assert.equal(backoffRemaining(rec, clock.now()), 20_000);
  rec = { failuresAfterLastSuccess: 10, lastFailureTime: clock.now() };
  assert.equal(backoffRemaining(rec, clock.now()), 360_000);
  rec = nextBackoffRecord(rec, [pod('s', { phase: 'Succeeded', finishedAt: at(10) })], [], clock.now());
  assert.deepEqual(rec, { failuresAfterLastSuccess: 0 });
  assert.equal(backoffRemaining(rec, clock.now()), 0);
});

test('isPodFailed counts deleted pods unless only failed pods are replaced', () => {
  assert.equal(isPodFailed(pod('a', { phase: 'Failed' }), job()), true);
  assert.equal(isPodFailed(pod('a', { deleting: true }), job()), true);
  assert.equal(isPodFailed(pod('a', { deleting: true }), job({ podReplacementPolicy: 'Failed' })), false);
  assert.equal(isPodFailed(pod('a', { phase: 'Succeeded', deleting: true }), job()), false);
});

test('activePodsForRemoval removes duplicate and invalid indexes first', () => {
  const j = job({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
  const pods = [pod('a0', { index: 0, ready: true }), pod('b0', { index: 0 }), pod('x', { index: 7 }), pod('c1', { index: 1 })];
  assert.deepEqual(
    activePodsForRemoval(j, pods, 0).map((p) => p.metadata?.name).sort(),
    ['b0', 'x'],
  );
  const plain = [pod('ready', { ready: true }), pod('notready')];
  assert.deepEqual(activePodsForRemoval(job(), plain, 1).map((p) => p.metadata?.name), ['notready']);
});

test('ensureCondition adds True conditions, never a new False one, and replaces changed ones', () => {
  const list: NonNullable<NonNullable<JobObj['status']>['conditions']> = [];
  assert.equal(ensureCondition(list, 'Suspended', 'False', 'JobResumed', 'Job resumed', 0), false);
  assert.equal(list.length, 0);
  assert.equal(ensureCondition(list, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 0), true);
  assert.equal(ensureCondition(list, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 1000), false);
  assert.equal(ensureCondition(list, 'Suspended', 'False', 'JobResumed', 'Job resumed', 2000), true);
  assert.equal(list[0]?.status, 'False');
});
