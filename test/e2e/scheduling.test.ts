/**
 * Scheduling as a user sees it through kubectl: pods land where selectors and taints
 * allow, and a pod that fits nowhere stays Pending with upstream's FailedScheduling text.
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

const k = (args: string[], input?: string) => c.kubectl(args, input !== undefined ? { input } : {});

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('nodeSelector and taints decide where a pod runs', async () => {
  await k(['label', 'node', 'kubelite-node-2', 'disk=ssd']);
  await k(['taint', 'node', 'kubelite-node-1', 'dedicated=infra:NoSchedule']);
  const pod = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: c, image: busybox}]
${extra}`;
  await k(['apply', '-f', '-'], pod('wants-ssd', '  nodeSelector: {disk: ssd}'));
  await k(['apply', '-f', '-'], pod('tolerates-infra', '  nodeSelector: {kubernetes.io/hostname: kubelite-node-1}\n  tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]'));
  for (const [name, node] of [['wants-ssd', 'kubelite-node-2'], ['tolerates-infra', 'kubelite-node-1']] as const) {
    const got = await eventually(`${name} bound`, async () => (await k(['get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}'])).stdout || undefined);
    assert.equal(got, node);
  }
  const events = await k(['get', 'events', '--field-selector', 'involvedObject.name=wants-ssd,reason=Scheduled', '-o', 'jsonpath={.items[0].message}']);
  assert.equal(events.stdout, 'Successfully assigned default/wants-ssd to kubelite-node-2');
  await k(['taint', 'node', 'kubelite-node-1', 'dedicated-']);
});

test('a pod that fits nowhere stays Pending with the FailedScheduling message', async () => {
  await k(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: too-big}
spec:
  containers: [{name: c, image: busybox, resources: {requests: {cpu: "100"}}}]
`);
  const msg = await eventually('FailedScheduling event', async () => {
    const e = await k(['get', 'events', '--field-selector', 'involvedObject.name=too-big,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}']);
    return e.stdout || undefined;
  });
  assert.equal(msg, '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  const pods = await k(['get', 'pod', 'too-big']);
  assert.match(pods.stdout, /too-big\s+0\/1\s+Pending\s+0\s+/);
  const cond = await k(['get', 'pod', 'too-big', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']);
  assert.equal(cond.stdout, 'Unschedulable');
});

test('required anti-affinity spreads replicas one per node; a third stays Pending', async () => {
  await k(['apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 3
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: spread}}
            topologyKey: kubernetes.io/hostname
      containers: [{name: c, image: nginx}]
`);
  const nodes = await eventually('two bound', async () => {
    const out = (await k(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).stdout;
    const bound = out.split('\n').filter((x) => x !== '').sort();
    return bound.length === 2 ? bound : undefined;
  });
  assert.deepEqual(nodes, ['kubelite-node-1', 'kubelite-node-2']);
  const msg = await eventually('FailedScheduling for the third', async () => {
    const e = (await k(['get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}'])).stdout;
    return e.split('\n').find((m) => m.includes("didn't match pod anti-affinity rules"));
  });
  assert.equal(msg, "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
  await k(['delete', 'deployment', 'spread']);
});

test('topology spread puts two of four replicas on each node', async () => {
  await k(['apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: {name: even}
spec:
  replicas: 4
  selector: {matchLabels: {app: even}}
  template:
    metadata: {labels: {app: even}}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: even}}
      containers: [{name: c, image: nginx}]
`);
  await k(['rollout', 'status', 'deployment/even', '--timeout=60s']);
  const out = (await k(['get', 'pods', '-l', 'app=even', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).stdout;
  const counts: Record<string, number> = {};
  for (const n of out.split('\n').filter((x) => x !== '')) counts[n] = (counts[n] ?? 0) + 1;
  assert.deepEqual(counts, { 'kubelite-node-1': 2, 'kubelite-node-2': 2 });
  await k(['delete', 'deployment', 'even']);
});

test('a high-priority pod preempts a lower-priority one', async () => {
  await k(['apply', '-f', '-'], `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
`);
  const pod = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: busybox, resources: {requests: {cpu: "3"}}}]
${extra}`;
  await k(['apply', '-f', '-'], pod('low-1', '  nodeSelector: {kubernetes.io/hostname: kubelite-node-1}'));
  await k(['apply', '-f', '-'], pod('low-2', '  nodeSelector: {kubernetes.io/hostname: kubelite-node-2}'));
  for (const p of ['low-1', 'low-2']) await k(['wait', '--for=condition=Ready', `pod/${p}`, '--timeout=30s']);
  await k(['apply', '-f', '-'], pod('vip', '  priorityClassName: high'));
  await k(['wait', '--for=condition=Ready', 'pod/vip', '--timeout=60s']);
  const remaining = (await k(['get', 'pods', 'low-1', 'low-2', '--ignore-not-found', '-o', 'name'])).stdout.trim().split('\n').filter((x) => x !== '');
  assert.equal(remaining.length, 1, `one low-priority pod was preempted: ${remaining.join(',')}`);
  const preempted = await k(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'jsonpath={.items[0].message}']);
  assert.match(preempted.stdout, /Preempted by pod/);
});
