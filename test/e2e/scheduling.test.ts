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
