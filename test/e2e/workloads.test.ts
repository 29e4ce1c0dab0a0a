/**
 * The everyday workload flows, with simulated nodes and the real kubectl: rollouts with
 * history and undo, a DaemonSet that heals, a StatefulSet in order, a Job that completes,
 * a Job from a CronJob, cascading deletes, namespace deletion and endpoints.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;
before(async () => {
  c = await startCluster({ extraArgs: ['--nodes', '2'] });
});
after(async () => {
  await c?.stop();
});

const k = (args: string[], input?: string) => c.kubectl(args, input !== undefined ? { input, timeoutMs: 90_000 } : { timeoutMs: 90_000 });
const jp = async (args: string[], path: string): Promise<string> => (await k([...args, '-o', `jsonpath=${path}`])).stdout;

async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('deployment: rollout, new image, history, undo', async () => {
  await k(['create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=3']);
  const st = await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  assert.match(st.stdout, /deployment "web" successfully rolled out/);
  await k(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
  await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  const rs = (await k(['get', 'rs', '-l', 'app=web', '-o', 'name'])).stdout.trim().split('\n');
  assert.equal(rs.length, 2, 'a second ReplicaSet');
  const hist = await k(['rollout', 'history', 'deployment/web']);
  assert.match(hist.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  await k(['rollout', 'undo', 'deployment/web']);
  await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  assert.equal(await jp(['get', 'deployment', 'web'], '{.spec.template.spec.containers[0].image}'), 'nginx:1.26');
  assert.equal(await jp(['get', 'deployment', 'web'], '{.status.availableReplicas}'), '3');
});

test('daemonset: one pod per node, replaced after delete', async () => {
  await k(['apply', '-f', '-'], `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox}]}
`);
  const running = async () => (await jp(['get', 'pods', '-l', 'app=agent', '--field-selector=status.phase=Running'], '{range .items[*]}{.spec.nodeName}{"\\n"}{end}')).trim().split('\n').filter((x) => x !== '').sort();
  await eventually('one agent per node', async () => JSON.stringify(await running()) === JSON.stringify(['kubelite-node-1', 'kubelite-node-2']));
  const ds = await k(['get', 'ds', 'agent']);
  assert.match(ds.stdout, /agent\s+2\s+2\s+2\s+2\s+2\s+/);
  const victim = (await jp(['get', 'pods', '-l', 'app=agent'], '{.items[0].metadata.name}')).trim();
  await k(['delete', 'pod', victim]);
  await eventually('replaced', async () => {
    const names = (await jp(['get', 'pods', '-l', 'app=agent', '--field-selector=status.phase=Running'], '{.items[*].metadata.name}')).split(' ').filter((x) => x !== '');
    return names.length === 2 && !names.includes(victim);
  });
});

test('statefulset: ordinals in order, scale down from the top', async () => {
  await k(['apply', '-f', '-'], `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: sts}}
  template:
    metadata: {labels: {app: sts}}
    spec: {containers: [{name: c, image: nginx}]}
`);
  await k(['rollout', 'status', 'statefulset/web', '--timeout=60s']);
  const created = (await jp(['get', 'pods', '-l', 'app=sts', '--sort-by=.metadata.creationTimestamp'], '{.items[*].metadata.name}')).split(' ');
  assert.deepEqual(created, ['web-0', 'web-1', 'web-2']);
  await k(['scale', 'statefulset', 'web', '--replicas=1']);
  await eventually('only web-0 left', async () => (await jp(['get', 'pods', '-l', 'app=sts'], '{.items[*].metadata.name}')).trim() === 'web-0');
});

test('job completes; a job from a cronjob runs too', async () => {
  await k(['create', 'job', 'once', '--image=busybox']);
  const w = await k(['wait', '--for=condition=complete', 'job/once', '--timeout=60s']);
  assert.equal(w.stdout.trim(), 'job.batch/once condition met');
  assert.match((await k(['get', 'job', 'once'])).stdout, /once\s+Complete\s+1\/1\s+/);
  await k(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *']);
  await k(['create', 'job', 'tick-now', '--from=cronjob/tick']);
  await k(['wait', '--for=condition=complete', 'job/tick-now', '--timeout=60s']);
  assert.equal(await jp(['get', 'job', 'tick-now'], '{.metadata.ownerReferences[0].name}'), 'tick');
});

test('cascading deletes: background, orphan, foreground', async () => {
  for (const name of ['bg', 'orph', 'fg']) await k(['create', 'deployment', name, '--image=nginx', '--replicas=1']);
  for (const name of ['bg', 'orph', 'fg']) await k(['rollout', 'status', `deployment/${name}`, '--timeout=60s']);
  await k(['delete', 'deployment', 'bg', '--cascade=background']);
  await eventually('bg replica sets gone', async () => (await k(['get', 'rs', '-l', 'app=bg', '-o', 'name'])).stdout.trim() === '');
  await k(['delete', 'deployment', 'orph', '--cascade=orphan']);
  await eventually('orph deployment gone', async () => !(await k(['get', 'deployments', '-o', 'name'])).stdout.includes('deployment.apps/orph'));
  const orphans = (await k(['get', 'rs', '-l', 'app=orph', '-o', 'jsonpath={.items[*].metadata.ownerReferences}'])).stdout;
  assert.equal(orphans.trim(), '', 'the orphaned ReplicaSet lost its owner reference');
  assert.notEqual((await k(['get', 'rs', '-l', 'app=orph', '-o', 'name'])).stdout.trim(), '');
  await k(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s']);
  assert.equal((await k(['get', 'rs', '-l', 'app=fg', '-o', 'name'])).stdout.trim(), '', 'dependents were gone before the owner');
});

test('endpoints follow ready pods; deleting a namespace removes everything in it', async () => {
  await k(['create', 'namespace', 'shop']);
  await k(['-n', 'shop', 'create', 'deployment', 'api', '--image=nginx', '--replicas=2', '--port=80']);
  await k(['-n', 'shop', 'expose', 'deployment', 'api', '--port=80']);
  await eventually('two endpoint addresses', async () => (await jp(['-n', 'shop', 'get', 'endpoints', 'api'], '{.subsets[0].addresses[*].ip}')).trim().split(' ').filter((x) => x !== '').length === 2);
  const slices = await jp(['-n', 'shop', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=api'], '{.items[0].endpoints[*].conditions.ready}');
  assert.equal(slices.trim(), 'true true');
  await k(['-n', 'shop', 'scale', 'deployment', 'api', '--replicas=1']);
  await eventually('one endpoint address', async () => (await jp(['-n', 'shop', 'get', 'endpoints', 'api'], '{.subsets[0].addresses[*].ip}')).trim().split(' ').filter((x) => x !== '').length === 1);
  const del = await k(['delete', 'namespace', 'shop', '--timeout=60s']);
  assert.equal(del.stdout.trim(), 'namespace "shop" deleted');
  const gone = await c.kubectl(['get', 'namespace', 'shop'], { allowFail: true });
  assert.match(gone.stderr, /namespaces "shop" not found/);
});
