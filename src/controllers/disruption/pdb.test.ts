import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { countHealthyPods, disruptedPodMap, expectedPodCount, failSafeStatus, nextStatus, type PDB, type PodObj, type ScaleFinder } from './pdb.js';

function pdb(spec: Record<string, unknown>, status?: Record<string, unknown>): PDB {
  return { metadata: { name: 'p', namespace: 'default', generation: 2 }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec }, ...(status ? { status } : {}) } as PDB;
}

function pod(name: string, o: { ready?: boolean; owner?: string; deleting?: boolean } = {}): PodObj {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'a' },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }] } : {}),
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const scales: Record<string, number> = { rs1: 3, rs2: 2 };
const finder: ScaleFinder = async (p) => {
  const ref = p.metadata?.ownerReferences?.[0];
  const s = ref ? scales[ref.name] : undefined;
  return ref && s !== undefined ? { uid: ref.uid, scale: s } : undefined;
};

test('expectedPodCount', async () => {
  const three = [pod('a', { owner: 'rs1' }), pod('b', { owner: 'rs1' }), pod('c', { owner: 'rs1' })];
  const cases: { name: string; pdb: PDB; pods: PodObj[]; want: { expected: number; desiredHealthy: number; unmanaged: string[] } }[] = [
    { name: 'minAvailable int counts pods', pdb: pdb({ minAvailable: 2 }), pods: [pod('x'), pod('y')], want: { expected: 2, desiredHealthy: 2, unmanaged: [] } },
    { name: 'maxUnavailable int uses the scale', pdb: pdb({ maxUnavailable: 1 }), pods: three.slice(0, 2), want: { expected: 3, desiredHealthy: 2, unmanaged: [] } },
    { name: 'maxUnavailable percent rounds up', pdb: pdb({ maxUnavailable: '34%' }), pods: three, want: { expected: 3, desiredHealthy: 1, unmanaged: [] } },
    { name: 'minAvailable percent rounds up', pdb: pdb({ minAvailable: '50%' }), pods: three, want: { expected: 3, desiredHealthy: 2, unmanaged: [] } },
    { name: 'two controllers add up', pdb: pdb({ maxUnavailable: 0 }), pods: [...three, pod('d', { owner: 'rs2' })], want: { expected: 5, desiredHealthy: 5, unmanaged: [] } },
    { name: 'unmanaged pods are reported', pdb: pdb({ maxUnavailable: 1 }), pods: [pod('a', { owner: 'rs1' }), pod('z')], want: { expected: 3, desiredHealthy: 2, unmanaged: ['z'] } },
    { name: 'maxUnavailable beyond the scale', pdb: pdb({ maxUnavailable: 10 }), pods: three, want: { expected: 3, desiredHealthy: 0, unmanaged: [] } },
  ];
  for (const c of cases) assert.deepEqual(await expectedPodCount(c.pdb, c.pods, finder), c.want, c.name);
  await assert.rejects(expectedPodCount(pdb({ maxUnavailable: 1 }), [pod('q', { owner: 'gone' })], finder), /found no controllers for pod "q"/);
});

test('healthy pods, disrupted pods and the status', () => {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
  const pods = [pod('a'), pod('b'), pod('c', { ready: false }), pod('d', { deleting: true })];
  assert.equal(countHealthyPods(pods, {}, clock.now()), 2);
  const withDisrupted = pdb({ minAvailable: 1 }, { disruptedPods: { a: '2024-01-01T00:00:00Z' }, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 });
  const m = disruptedPodMap(pods, withDisrupted, clock.now());
  assert.deepEqual(m.disrupted, { a: '2024-01-01T00:00:00Z' });
  assert.equal(m.recheckAt, clock.now() + 120_000);
  assert.equal(countHealthyPods(pods, m.disrupted, clock.now()), 1);
  clock.advance(121_000);
  const later = disruptedPodMap(pods, withDisrupted, clock.now());
  assert.deepEqual([later.disrupted, later.overdue], [{}, ['a']]);

  const st = nextStatus(pdb({ minAvailable: 1 }), 2, 1, 4, {}, clock.now());
  assert.deepEqual(
    { ...st, conditions: st?.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration]) },
    { currentHealthy: 2, desiredHealthy: 1, expectedPods: 4, disruptionsAllowed: 1, observedGeneration: 2, conditions: [['DisruptionAllowed', 'True', 'SufficientPods', 2]] },
  );
  const same = pdb({ minAvailable: 1 }, st as unknown as Record<string, unknown>);
  assert.equal(nextStatus(same, 2, 1, 4, {}, clock.now()), undefined, 'no change, no write');
  const short = nextStatus(same, 1, 1, 4, {}, clock.now());
  assert.equal(short?.disruptionsAllowed, 0);
  assert.deepEqual(short?.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
  assert.equal(nextStatus(pdb({ minAvailable: 0 }), 2, 0, 0, {}, clock.now())?.disruptionsAllowed, 0, 'no expected pods: no disruptions');
  const failed = failSafeStatus(same, 'boom', clock.now());
  assert.deepEqual([failed.disruptionsAllowed, failed.conditions?.[0]?.reason, failed.conditions?.[0]?.message], [0, 'SyncFailed', 'boom']);
});
