/**
 * kubectl's higher-level verbs against kubelite: apply -k (kubectl's own kustomize),
 * apply --prune with a label selector, diff, and describe with its Events section.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;
let dir: string;
before(async () => {
  c = await startCluster({ extraArgs: ['--nodes', '1'] });
  dir = await mkdtemp(join(tmpdir(), 'kubelite-apply-'));
});
after(async () => {
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {app: kz}}\ndata: {a: "1"}\n`;

test('apply -k with a namePrefix, then apply --prune -l removes what left the set', async () => {
  await writeFile(join(dir, 'cm.yaml'), cm('settings'));
  await writeFile(join(dir, 'kustomization.yaml'), 'resources:\n- cm.yaml\nnamePrefix: dev-\n');
  assert.equal((await c.kubectl(['apply', '-k', dir])).stdout.trim(), 'configmap/dev-settings created');
  await writeFile(join(dir, 'other.yaml'), cm('other'));
  const pruned = await c.kubectl(['apply', '-f', join(dir, 'other.yaml'), '--prune', '-l', 'app=kz']);
  assert.match(pruned.stdout, /configmap\/other created/);
  assert.match(pruned.stdout, /configmap\/dev-settings pruned/);
  assert.equal((await c.kubectl(['get', 'cm', '-l', 'app=kz', '-o', 'name'])).stdout.trim(), 'configmap/other');
});

test('diff shows the change a manifest would make; describe shows events', async () => {
  await c.kubectl(['create', 'deployment', 'web', '--image=nginx']);
  await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  const yaml = (await c.kubectl(['get', 'deployment', 'web', '-o', 'yaml'])).stdout.replace('image: nginx', 'image: nginx:2');
  await writeFile(join(dir, 'web.yaml'), yaml);
  const diff = await c.kubectl(['diff', '-f', join(dir, 'web.yaml')], { allowFail: true });
  assert.equal(diff.code, 1, `kubectl diff exits 1 when there are differences: ${diff.stderr}`);
  assert.match(diff.stdout, /^-\s+- image: nginx$/m);
  assert.match(diff.stdout, /^\+\s+- image: nginx:2$/m);
  const d = (await c.kubectl(['describe', 'deployment', 'web'])).stdout;
  assert.match(d, /^Replicas:\s+1 desired \| 1 updated \| 1 total \| 1 available \| 0 unavailable$/m);
  assert.match(d, /^StrategyType:\s+RollingUpdate$/m);
  const p = (await c.kubectl(['describe', 'pod', '-l', 'app=web'])).stdout;
  assert.match(p, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/web-\S+ to kubelite-node-1/);
  assert.match(p, /Normal\s+Started\s+\S+\s+kubelet\s+Started container nginx/);
});
