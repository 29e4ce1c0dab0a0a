import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { eventually } from '../../client/testenv.js';
import type { KubeObject } from '../../client/types.js';
import { newReplicaSetController } from '../replicaset/controller.js';
import { listObjects, startControllerTestEnv, startPodReadier, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import { newDeploymentController } from './controller.js';
import { computeHash } from './hash.js';
import { DEPLOYMENTS, REPLICASETS } from './sync.js';
import type { Deployment, DeploymentStrategy, ReplicaSet } from './util.js';

const run = promisify(execFile);
const NS = 'default';
const KUBECTL = '/usr/bin/kubectl';

function deployment(name: string, o: { replicas?: number; image?: string; strategy?: DeploymentStrategy; extra?: Record<string, unknown>; labels?: Record<string, string> } = {}): Deployment {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1' }] } },
      ...(o.strategy !== undefined ? { strategy: o.strategy } : {}),
      ...(o.extra ?? {}),
    },
  };
}

describe('Deployment controller (in-process API server)', () => {
  let h: ControllerTestEnv;
  let readier: ReturnType<typeof startPodReadier>;
  let kubeconfig = '';
  before(async () => {
    h = await startControllerTestEnv({ workers: 3 });
    readier = startPodReadier(h.client, (p) => p.metadata?.labels?.['noready'] === 'true');
    kubeconfig = await h.env.writeKubeconfig(NS);
    await h.start(newReplicaSetController(h.ctx), newDeploymentController(h.ctx));
  });
  after(async () => {
    await readier.stop();
    await h.close();
  });

  const getD = (name: string): Promise<Deployment> => h.client.get<Deployment>({ ...DEPLOYMENTS, namespace: NS, name });
  const rsOf = async (name: string): Promise<ReplicaSet[]> =>
    (await h.client.list<ReplicaSet>({ ...REPLICASETS, namespace: NS })).items
      .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === name))
      .sort((a, b) => Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision']));
  const complete = async (name: string, replicas: number): Promise<boolean> => {
    const d = await getD(name);
    const s = d.status ?? {};
    return (
      (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      s.updatedReplicas === replicas &&
      s.replicas === replicas &&
      s.availableReplicas === replicas &&
      s.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable'
    );
  };
  const events = async (name: string): Promise<string[]> =>
    (await h.client.list<KubeObject & { message?: string; reason?: string }>({ group: '', version: 'v1', resource: 'events', namespace: NS })).items
      .filter((e) => (e['involvedObject'] as { name?: string; kind?: string }).name === name && (e['involvedObject'] as { kind?: string }).kind === 'Deployment')
      .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))
      .map((e) => `${e.reason}: ${e.message}`);
  const kubectl = async (...args: string[]): Promise<string> => (await run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { timeout: 20_000 })).stdout;

  test('a rolling update creates a second replica set, scales the old one down, and keeps revisions for kubectl', async () => {
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('web'));
    await eventually(() => complete('web', 3), 8000, 'first rollout');
    let d = await getD('web');
    const [rs1] = await rsOf('web');
    const hash = rs1?.metadata?.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs1?.metadata?.name, `web-${hash}`);
    assert.deepEqual(rs1?.spec?.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(rs1?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs1?.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs1?.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const cond = (t: string) => d.status?.conditions?.find((c) => c.type === t);
    assert.equal(cond('Available')?.reason, 'MinimumReplicasAvailable');
    assert.equal(cond('Available')?.message, 'Deployment has minimum availability.');
    assert.equal(cond('Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.equal(d.status?.readyReplicas, 3);
    assert.equal(d.status?.unavailableReplicas, undefined);
    await eventually(async () => (await events('web')).includes(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`), 3000, 'scale-up event');

    // Roll out a new template.
    await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'web' }, 'merge', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'image 2' } },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } },
    });
    await eventually(async () => (await rsOf('web')).length === 2 && (await complete('web', 3)), 8000, 'second rollout');
    const [old, cur] = await rsOf('web');
    assert.equal(old?.spec?.replicas, 0);
    assert.equal(cur?.spec?.replicas, 3);
    assert.equal(cur?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(cur?.metadata?.annotations?.['kubernetes.io/change-cause'], 'image 2');
    d = await getD('web');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal((await listObjects(h.client, GVR.pods, NS, 'app=web')).length, 3);
    const evs = await events('web');
    assert.ok(evs.some((e) => e.startsWith(`ScalingReplicaSet: Scaled up replica set ${cur?.metadata?.name} from 0 to 1`)), evs.join('\n'));
    assert.ok(evs.some((e) => e.startsWith(`ScalingReplicaSet: Scaled down replica set web-${hash} from 3 to 2`)), evs.join('\n'));

    if (!existsSync(KUBECTL)) return;
    const history = await kubectl('rollout', 'history', 'deployment/web');
    assert.match(history, /REVISION\s+CHANGE-CAUSE/);
    assert.match(history, /^1\s+<none>$/m);
    assert.match(history, /^2\s+image 2$/m);
    // Undo, client-side in kubectl: the template of revision 1 comes back as revision 3.
    await kubectl('rollout', 'undo', 'deployment/web');
    await eventually(async () => (await getD('web')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3' && (await complete('web', 3)), 8000, 'undo');
    const afterUndo = await rsOf('web');
    assert.equal(afterUndo.length, 2, 'the old replica set is reused, not duplicated');
    const reused = afterUndo.find((rs) => rs.metadata?.name === `web-${hash}`);
    assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(reused?.spec?.replicas, 3);
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=10s');
    assert.match(status, /deployment "web" successfully rolled out/);
    await kubectl('rollout', 'undo', 'deployment/web', '--to-revision=2');
    await eventually(async () => (await getD('web')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '4' && (await complete('web', 3)), 8000, 'undo to 2');
    const d4 = await getD('web');
    assert.equal((d4.spec?.template?.spec as { containers: { image: string }[] }).containers[0]?.image, 'nginx:2');
  });

  test('Recreate scales the old replica set to zero before the new one comes up', async () => {
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('rec', { replicas: 2, strategy: { type: 'Recreate' } }));
    await eventually(() => complete('rec', 2), 8000, 'first rollout');
    const [first] = await rsOf('rec');
    await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'rec' }, 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await eventually(async () => (await rsOf('rec')).length === 2 && (await complete('rec', 2)), 8000, 'recreate rollout');
    const [, second] = await rsOf('rec');
    const evs = await events('rec');
    const down = evs.indexOf(`ScalingReplicaSet: Scaled down replica set ${first?.metadata?.name} from 2 to 0`);
    const up = evs.indexOf(`ScalingReplicaSet: Scaled up replica set ${second?.metadata?.name} from 0 to 2`);
    assert.ok(down >= 0 && up > down, evs.join('\n'));
  });

  test('a paused deployment does not roll out but still scales; resuming rolls out', async () => {
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('paused', { replicas: 2 }));
    await eventually(() => complete('paused', 2), 8000, 'first rollout');
    await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'paused' }, 'merge', { spec: { paused: true } });
    await eventually(async () => (await getD('paused')).status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'DeploymentPaused', 5000, 'paused condition');
    const pc = (await getD('paused')).status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(pc?.status, 'Unknown');
    assert.equal(pc?.message, 'Deployment is paused');
    await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'paused' }, 'merge', { spec: { replicas: 4, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await eventually(async () => (await rsOf('paused'))[0]?.spec?.replicas === 4, 5000, 'scaled while paused');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await rsOf('paused')).length, 1, 'no rollout while paused');
    await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'paused' }, 'merge', { spec: { paused: false } });
    await eventually(async () => (await rsOf('paused')).length === 2 && (await complete('paused', 4)), 8000, 'rollout after resume');
  });

  test('scaling in the middle of a rollout is spread proportionally over both replica sets', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('prop', { replicas: 10, strategy }));
    await eventually(() => complete('prop', 10), 8000, 'first rollout');
    readier.paused.value = true; // new pods never become ready: the rollout stalls
    try {
      await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'prop' }, 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
      // 10 + 3 surge: the new set grows to 3, the old shrinks by maxUnavailable to 8, the new to 5; then stuck.
      await eventually(async () => (await rsOf('prop')).map((rs) => rs.spec?.replicas).join(',') === '8,5', 8000, 'stalled at 8 + 5');
      await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'prop' }, 'merge', { spec: { replicas: 20 } });
      // 20 + 3 allowed, 10 to add: old round(8*23/13)-8 = 6, new the remaining 4.
      await eventually(async () => (await rsOf('prop')).map((rs) => rs.spec?.replicas).join(',') === '14,9', 8000, 'proportional 14 + 9');
      const [old, cur] = await rsOf('prop');
      assert.equal(old?.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
      assert.equal(cur?.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '23');
    } finally {
      readier.paused.value = false;
    }
  });

  test('progressDeadlineSeconds: a stuck rollout reports ProgressDeadlineExceeded', async () => {
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('stuck', { replicas: 1, labels: { app: 'stuck', noready: 'true' }, extra: { progressDeadlineSeconds: 1 } }));
    await eventually(async () => (await getD('stuck')).status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded', 6000, 'deadline');
    const d = await getD('stuck');
    const rs = (await rsOf('stuck'))[0];
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Progressing')?.message, `ReplicaSet "${rs?.metadata?.name}" has timed out progressing.`);
    const avail = d.status?.conditions?.find((c) => c.type === 'Available');
    assert.equal(avail?.status, 'False');
    assert.equal(avail?.reason, 'MinimumReplicasUnavailable');
    assert.equal(d.status?.unavailableReplicas, 1);
  });

  test('a name collision bumps status.collisionCount and hashes again', async () => {
    // Created paused, so the controller makes no replica set yet; the server's defaults are
    // part of the template the controller hashes, so hash the stored template.
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('coll', { replicas: 1, extra: { paused: true } }));
    const template = (await getD('coll')).spec?.template;
    const hash = computeHash(template);
    // Someone else's replica set already has the name the controller would pick.
    await h.client.create({ ...REPLICASETS, namespace: NS }, {
      metadata: { name: `coll-${hash}`, labels: { other: 'x' } },
      spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
    });
    await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'coll' }, 'merge', { spec: { paused: false } });
    await eventually(() => complete('coll', 1), 8000, 'rollout despite the collision');
    const got = await getD('coll');
    assert.equal(got.status?.collisionCount, 1);
    const [rs] = await rsOf('coll');
    assert.equal(rs?.metadata?.name, `coll-${computeHash(template, 1)}`);
  });

  test('revisionHistoryLimit deletes the oldest scaled-down replica sets', async () => {
    await h.client.create({ ...DEPLOYMENTS, namespace: NS }, deployment('hist', { replicas: 1, extra: { revisionHistoryLimit: 1 } }));
    await eventually(() => complete('hist', 1), 8000, 'v1');
    for (const image of ['nginx:2', 'nginx:3']) {
      await h.client.patch({ ...DEPLOYMENTS, namespace: NS, name: 'hist' }, 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
      await eventually(async () => (await complete('hist', 1)) && (await rsOf('hist')).some((rs) => (rs.spec?.template?.spec as { containers: { image: string }[] }).containers[0]?.image === image), 8000, image);
    }
    await eventually(async () => (await rsOf('hist')).length === 2, 5000, 'one old replica set kept');
    const revs = (await rsOf('hist')).map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']);
    assert.deepEqual(revs, ['2', '3']);
  });
});
