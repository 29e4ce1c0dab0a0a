import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { newControllerRef } from '../common/controllerref.js';
import { revisionData } from '../common/revision.js';
import { updateStatefulSet, type StatefulPodControl } from './control.js';
import { desiredClaimOwners } from './controller.js';
import { completeRollingUpdate, newStatefulSetPod, persistentVolumeClaims, withStatefulSetDefaults, type CR, type PodObj, type SS } from './stateful.js';

function template(image: string): PodTemplateSpec {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } };
}

function set(o: { replicas?: number; policy?: 'OrderedReady' | 'Parallel'; partition?: number; image?: string; onDelete?: boolean; claims?: boolean; retention?: { whenDeleted?: string; whenScaled?: string } } = {}): SS {
  return withStatefulSetDefaults({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      replicas: o.replicas ?? 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      template: template(o.image ?? 'v1'),
      podManagementPolicy: o.policy ?? 'OrderedReady',
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
      ...(o.claims ? { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } : {}),
      ...(o.retention ? { persistentVolumeClaimRetentionPolicy: o.retention } : {}),
    },
  });
}

function revision(name: string, image: string, n: number): CR {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, namespace: 'default' }, data: revisionData(template(image)), revision: n };
}

/** In-memory pods: creation makes a Pending pod, deletion removes it at once. */
class FakeControl implements StatefulPodControl {
  pods = new Map<string, PodObj>();
  claims = new Set<string>();
  log: string[] = [];
  private uid = 0;
  async createStatefulPod(s: SS, pod: PodObj): Promise<void> {
    await this.createMissingPersistentVolumeClaims(s, pod);
    const p = structuredClone(pod);
    p.metadata = { ...p.metadata, uid: `uid-${++this.uid}` };
    (p as { status?: unknown }).status = { phase: 'Pending' };
    this.pods.set(p.metadata?.name ?? '', p);
    this.log.push(`create ${p.metadata?.name}`);
  }
  async createMissingPersistentVolumeClaims(s: SS, pod: PodObj): Promise<void> {
    const ord = Number((pod.metadata?.name ?? '').split('-').pop());
    for (const c of persistentVolumeClaims(s, ord).values()) this.claims.add(c.metadata?.name ?? '');
  }
  async updateStatefulPod(_s: SS, pod: PodObj): Promise<void> {
    this.log.push(`update ${pod.metadata?.name}`);
  }
  async deleteStatefulPod(_s: SS, pod: PodObj): Promise<void> {
    this.pods.delete(pod.metadata?.name ?? '');
    this.log.push(`delete ${pod.metadata?.name}`);
  }
  claimsMatchRetentionPolicy(): boolean {
    return true;
  }
  async updatePodClaimForRetentionPolicy(): Promise<void> {}
  ready(name: string): void {
    const p = this.pods.get(name);
    if (p === undefined) throw new Error(`no pod ${name}`);
    (p as { status?: unknown }).status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] };
  }
  names(): string[] {
    return [...this.pods.keys()].sort();
  }
}

async function step(s: SS, cur: CR, upd: CR, fc: FakeControl, clock: FakeClock): Promise<ReturnType<typeof updateStatefulSet>> {
  return updateStatefulSet(s, cur, upd, 0, [...fc.pods.values()], fc, newControllerRef(s, 'apps/v1', 'StatefulSet'), clock.now());
}

test('OrderedReady creates one pod at a time, each after its predecessor is Running and Ready', async () => {
  const clock = new FakeClock(Date.parse('2024-01-02T00:00:00Z'));
  const fc = new FakeControl();
  const s = set({ claims: true });
  const r1 = revision('web-r1', 'v1', 1);
  await step(s, r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0']);
  await step(s, r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0'], 'waits for web-0');
  fc.ready('web-0');
  await step(s, r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0', 'web-1']);
  fc.ready('web-1');
  const res = await step(s, r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0', 'web-1', 'web-2']);
  // The status counts pods that exist (have a phase): web-2 counts from the next sync.
  assert.equal(res.status.replicas, 2);
  assert.equal(res.status.readyReplicas, 2);
  assert.deepEqual([...fc.claims].sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
  const web1 = fc.pods.get('web-1');
  assert.equal(web1?.spec?.hostname, 'web-1');
  assert.equal(web1?.spec?.subdomain, 'nginx');
  assert.equal(web1?.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(web1?.metadata?.labels?.['apps.kubernetes.io/pod-index'], '1');
  assert.equal(web1?.metadata?.labels?.['controller-revision-hash'], 'web-r1');
  assert.deepEqual(web1?.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
});

test('Parallel creates every pod at once', async () => {
  const clock = new FakeClock();
  const fc = new FakeControl();
  const r1 = revision('web-r1', 'v1', 1);
  await step(set({ policy: 'Parallel', replicas: 4 }), r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0', 'web-1', 'web-2', 'web-3']);
});

test('scale down removes the highest ordinal first, one at a time, keeping claims', async () => {
  const clock = new FakeClock();
  const fc = new FakeControl();
  const r1 = revision('web-r1', 'v1', 1);
  const three = set({ claims: true });
  for (let i = 0; i < 3; i++) {
    await step(three, r1, r1, fc, clock);
    fc.ready(`web-${i}`);
  }
  const one = set({ replicas: 1, claims: true });
  await step(one, r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0', 'web-1']);
  await step(one, r1, r1, fc, clock);
  assert.deepEqual(fc.names(), ['web-0']);
  assert.equal(fc.claims.size, 3);
});

test('rolling update replaces pods from the highest ordinal down to the partition', async () => {
  const clock = new FakeClock();
  const fc = new FakeControl();
  const r1 = revision('web-r1', 'v1', 1);
  const r2 = revision('web-r2', 'v2', 2);
  const s1 = set();
  for (let i = 0; i < 3; i++) {
    await step(s1, r1, r1, fc, clock);
    fc.ready(`web-${i}`);
  }
  const s2 = set({ image: 'v2', partition: 1 });
  s2.status = { replicas: 3, currentReplicas: 3, currentRevision: 'web-r1' };
  const seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    await step(s2, r1, r2, fc, clock);
    for (const n of fc.names()) if (fc.pods.get(n)?.status?.phase === 'Pending') fc.ready(n);
  }
  for (const n of fc.names()) seen.push(`${n}=${fc.pods.get(n)?.metadata?.labels?.['controller-revision-hash']}`);
  assert.deepEqual(seen, ['web-0=web-r1', 'web-1=web-r2', 'web-2=web-r2']);
  assert.deepEqual(
    fc.log.filter((l) => l.startsWith('delete')),
    ['delete web-2', 'delete web-1'],
  );
  assert.equal(fc.pods.get('web-2')?.spec?.containers[0]?.image, 'v2');
});

test('OnDelete leaves old pods until they are deleted; failed pods are replaced', async () => {
  const clock = new FakeClock();
  const fc = new FakeControl();
  const r1 = revision('web-r1', 'v1', 1);
  const r2 = revision('web-r2', 'v2', 2);
  const s1 = set({ replicas: 2 });
  for (let i = 0; i < 2; i++) {
    await step(s1, r1, r1, fc, clock);
    fc.ready(`web-${i}`);
  }
  const s2 = set({ replicas: 2, image: 'v2', onDelete: true });
  await step(s2, r1, r2, fc, clock);
  assert.ok(!fc.log.some((l) => l.startsWith('delete')));
  (fc.pods.get('web-1') as { status?: unknown }).status = { phase: 'Failed' };
  await step(s2, r1, r2, fc, clock);
  assert.deepEqual(fc.names(), ['web-0']);
  await step(s2, r1, r2, fc, clock);
  assert.equal(fc.pods.get('web-1')?.metadata?.labels?.['controller-revision-hash'], 'web-r2');
});

test('completeRollingUpdate promotes the update revision once everything is updated and ready', () => {
  const s = set();
  const st = { replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 0, currentRevision: 'a', updateRevision: 'b' };
  completeRollingUpdate(s, st);
  assert.equal(st.currentRevision, 'b');
  assert.equal(st.currentReplicas, 3);
});

test('desiredClaimOwners follows persistentVolumeClaimRetentionPolicy', () => {
  const s = (wd: string, ws: string): SS => set({ replicas: 2, retention: { whenDeleted: wd, whenScaled: ws } });
  const ref = newControllerRef(set(), 'apps/v1', 'StatefulSet');
  const inRange = newStatefulSetPod(set(), 1, ref);
  const condemned = newStatefulSetPod(set(), 5, ref);
  const cases: { name: string; set: SS; pod: PodObj; want: { set: boolean; pod: boolean } }[] = [
    { name: 'Retain/Retain', set: s('Retain', 'Retain'), pod: condemned, want: { set: false, pod: false } },
    { name: 'whenDeleted Delete', set: s('Delete', 'Retain'), pod: inRange, want: { set: true, pod: false } },
    { name: 'whenScaled Delete, in range', set: s('Retain', 'Delete'), pod: inRange, want: { set: false, pod: false } },
    { name: 'whenScaled Delete, condemned', set: s('Retain', 'Delete'), pod: condemned, want: { set: false, pod: true } },
    { name: 'Delete/Delete, condemned', set: s('Delete', 'Delete'), pod: condemned, want: { set: false, pod: true } },
    { name: 'Delete/Delete, in range', set: s('Delete', 'Delete'), pod: inRange, want: { set: true, pod: false } },
  ];
  for (const c of cases) assert.deepEqual(desiredClaimOwners(c.set, c.pod), c.want, c.name);
});
