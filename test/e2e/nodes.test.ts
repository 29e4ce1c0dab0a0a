/**
 * The labs' failure behaviour, end to end with the real kubectl: a Deployment spread
 * over two simulated nodes; one node is switched off (`kubelite node stop`), goes
 * NotReady with the unreachable taint, its pods are evicted after their toleration and
 * replaced on the other node; switched back on, it is Ready and untainted again.
 * Durations are shortened with upstream's flags so the test takes seconds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, ROOT, type Cluster } from './harness.js';

let c: Cluster;
before(async () => {
  c = await startCluster({
    extraArgs: [
      '--nodes', '2',
      '--node-lease-duration-seconds', '2',
      '--node-monitor-period', '500ms',
      '--node-monitor-grace-period', '3s',
      '--default-unreachable-toleration-seconds', '2',
      '--default-not-ready-toleration-seconds', '2',
    ],
  });
});
after(async () => {
  await c?.stop();
});

const k = (args: string[]) => c.kubectl(args);

function kubelite(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'kubelite.js'), ...args, '--data-dir', c.dataDir], (err, stdout, stderr) => {
      if (err) reject(new Error(`kubelite ${args.join(' ')}: ${stderr}`));
      else resolve(stdout);
    });
  });
}

async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Nodes of the web pods that are Running and not terminating. */
async function podNodes(): Promise<string[]> {
  const out = await k(['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}']);
  return out.stdout
    .split('\n')
    .filter((l) => l.trim() !== '' && l.trim().split(' ').length === 1)
    .map((l) => l.trim());
}

test('a switched-off node goes NotReady, its pods move, and it comes back', async () => {
  const nodes = await k(['get', 'nodes']);
  assert.match(nodes.stdout, /kubelite-node-1\s+Ready\s+/);
  assert.match(nodes.stdout, /kubelite-node-2\s+Ready\s+/);

  await k(['create', 'deployment', 'web', '--image=nginx', '--replicas=4']);
  await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  await eventually('pods on both nodes', async () => new Set(await podNodes()).size === 2);

  assert.equal((await kubelite(['node', 'stop', 'kubelite-node-1'])).trim(), 'node/kubelite-node-1 stopped');
  await eventually('node-1 NotReady', async () => /kubelite-node-1\s+NotReady\s+/.test((await k(['get', 'nodes'])).stdout));
  const taints = await k(['get', 'node', 'kubelite-node-1', '-o', 'jsonpath={.spec.taints[*].key}']);
  assert.match(taints.stdout, /node\.kubernetes\.io\/unreachable/);
  const ready = await k(['get', 'node', 'kubelite-node-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
  assert.equal(ready.stdout, 'Unknown');

  // After the 2 s toleration the pods on node-1 are evicted and the ReplicaSet replaces them on node-2.
  await eventually('all running pods on node-2', async () => {
    const n = await podNodes();
    return n.length === 4 && n.every((x) => x === 'kubelite-node-2');
  });
  const deploy = await k(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}']);
  assert.equal(deploy.stdout, '4');

  assert.equal((await kubelite(['node', 'start', 'kubelite-node-1'])).trim(), 'node/kubelite-node-1 started');
  await eventually('node-1 Ready again', async () => /kubelite-node-1\s+Ready\s+/.test((await k(['get', 'nodes'])).stdout));
  await eventually('taints removed', async () => (await k(['get', 'node', 'kubelite-node-1', '-o', 'jsonpath={.spec.taints}'])).stdout.trim() === '');
});

test('cordon and uncordon', async () => {
  assert.equal((await k(['cordon', 'kubelite-node-2'])).stdout.trim(), 'node/kubelite-node-2 cordoned');
  assert.match((await k(['get', 'nodes'])).stdout, /kubelite-node-2\s+Ready,SchedulingDisabled\s+/);
  assert.equal((await k(['uncordon', 'kubelite-node-2'])).stdout.trim(), 'node/kubelite-node-2 uncordoned');
});

test('drain evicts the pods of a node; they come back on the other one', async () => {
  const out = await c.kubectl(['drain', 'kubelite-node-2', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], { timeoutMs: 90_000 });
  assert.match(out.stdout, /node\/kubelite-node-2 cordoned/);
  assert.match(out.stdout, /evicting pod default\/web-/);
  assert.match(out.stdout, /node\/kubelite-node-2 drained/);
  await eventually('all running pods on node-1', async () => {
    const n = await podNodes();
    return n.length === 4 && n.every((x) => x === 'kubelite-node-1');
  });
  await k(['uncordon', 'kubelite-node-2']);
});

test('componentstatuses report the in-process scheduler and controller manager', async () => {
  const cs = await c.kubectl(['get', 'componentstatuses']);
  assert.match(cs.stdout, /scheduler\s+Healthy\s+ok/);
  assert.match(cs.stdout, /controller-manager\s+Healthy\s+ok/);
  assert.match(cs.stdout, /etcd-0\s+Healthy/);
});
