/**
 * The real kubectl (v1.32) patching built-in objects: client-side apply, set image/env,
 * rollout pause/resume/restart, label/annotate, strategic/merge/json patch, edit, and
 * the scale and status subresources.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;
let dir: string;

before(async () => {
  c = await startCluster();
  dir = await mkdtemp(join(tmpdir(), 'kubelite-patch-'));
});

after(async () => {
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const NS = 'e2e-patch';
const k = (args: string[], opts?: { input?: string; allowFail?: boolean }) => c.kubectl([...args, '-n', NS], opts);

interface Container {
  name: string;
  image: string;
  env?: { name: string; value: string }[];
  ports?: { containerPort: number }[];
}
interface Deployment {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { replicas: number; paused?: boolean; template: { metadata: { annotations?: Record<string, string> }; spec: { containers: Container[] } } };
  status?: { conditions?: { type: string; status: string }[] };
}

async function getWeb(): Promise<Deployment> {
  return JSON.parse((await k(['get', 'deployment', 'web', '-o', 'json'])).stdout) as Deployment;
}

const manifest = (image: string, env: [string, string][]): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
        env:
${env.map(([n, v]) => `        - {name: ${n}, value: "${v}"}`).join('\n')}
      - name: sidecar
        image: busybox:1.36
`;

test('kubectl apply twice: the changed image and the removed env var (strategic merge patch)', async () => {
  await c.kubectl(['create', 'namespace', NS]);
  const f = join(dir, 'web.yaml');
  await writeFile(f, manifest('nginx:1.27', [['A', '1'], ['B', '2']]));
  assert.equal((await k(['apply', '-f', f])).stdout.trim(), 'deployment.apps/web created');
  await writeFile(f, manifest('nginx:1.27.1', [['A', '1']]));
  assert.equal((await k(['apply', '-f', f])).stdout.trim(), 'deployment.apps/web configured');
  const d = await getWeb();
  const [nginx, sidecar] = d.spec.template.spec.containers;
  assert.equal(nginx?.name, 'nginx');
  assert.equal(nginx?.image, 'nginx:1.27.1');
  assert.deepEqual(nginx?.env, [{ name: 'A', value: '1' }]);
  assert.equal(nginx?.ports?.[0]?.containerPort, 80);
  assert.equal(sidecar?.name, 'sidecar');
  assert.equal(sidecar?.image, 'busybox:1.36');
  // Unchanged re-apply.
  assert.equal((await k(['apply', '-f', f])).stdout.trim(), 'deployment.apps/web unchanged');
});

test('kubectl set image and set env merge one container by name', async () => {
  assert.equal((await k(['set', 'image', 'deployment/web', 'nginx=nginx:1.28'])).stdout.trim(), 'deployment.apps/web image updated');
  assert.equal((await k(['set', 'env', 'deployment/web', '-c', 'nginx', 'C=3'])).stdout.trim(), 'deployment.apps/web env updated');
  const d = await getWeb();
  const [nginx, sidecar] = d.spec.template.spec.containers;
  assert.equal(nginx?.image, 'nginx:1.28');
  assert.deepEqual(nginx?.env, [{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
  assert.equal(sidecar?.image, 'busybox:1.36');
  assert.equal(sidecar?.env, undefined);
  assert.equal((await k(['set', 'env', 'deployment/web', '-c', 'nginx', 'A-'])).stdout.trim(), 'deployment.apps/web env updated');
  assert.deepEqual((await getWeb()).spec.template.spec.containers[0]?.env, [{ name: 'C', value: '3' }]);
});

test('kubectl rollout pause, resume and restart', async () => {
  assert.equal((await k(['rollout', 'pause', 'deployment/web'])).stdout.trim(), 'deployment.apps/web paused');
  assert.equal((await getWeb()).spec.paused, true);
  assert.equal((await k(['rollout', 'resume', 'deployment/web'])).stdout.trim(), 'deployment.apps/web resumed');
  assert.notEqual((await getWeb()).spec.paused, true);
  assert.equal((await k(['rollout', 'restart', 'deployment/web'])).stdout.trim(), 'deployment.apps/web restarted');
  const restartedAt = (await getWeb()).spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'];
  assert.match(restartedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('kubectl label and annotate', async () => {
  assert.equal((await k(['label', 'deployment', 'web', 'tier=front'])).stdout.trim(), 'deployment.apps/web labeled');
  assert.equal((await k(['annotate', 'deployment', 'web', 'owner=team-a'])).stdout.trim(), 'deployment.apps/web annotated');
  const d = await getWeb();
  assert.equal(d.metadata.labels?.['tier'], 'front');
  assert.equal(d.metadata.annotations?.['owner'], 'team-a');
  assert.equal((await k(['label', 'deployment', 'web', 'tier-'])).stdout.trim(), 'deployment.apps/web unlabeled');
  assert.equal((await getWeb()).metadata.labels?.['tier'], undefined);
});

test('kubectl patch: strategic by default, merge, json', async () => {
  const smp = await k(['patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"x"}]}}}}']);
  assert.equal(smp.stdout.trim(), 'deployment.apps/web patched');
  let d = await getWeb();
  assert.deepEqual(d.spec.template.spec.containers.map((x) => [x.name, x.image]), [['nginx', 'x'], ['sidecar', 'busybox:1.36']]);
  assert.deepEqual(d.spec.template.spec.containers[0]?.env, [{ name: 'C', value: '3' }]);

  // $patch: delete removes one container by its merge key.
  await k(['patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}']);
  d = await getWeb();
  assert.deepEqual(d.spec.template.spec.containers.map((x) => x.name), ['nginx']);

  // A merge patch replaces the list whole.
  await k(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.29"}]}}}}']);
  d = await getWeb();
  assert.deepEqual(d.spec.template.spec.containers[0]?.env, undefined);

  const json = await k(['patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']);
  assert.equal(json.stdout.trim(), 'deployment.apps/web patched');
  assert.equal((await getWeb()).spec.replicas, 2);

  // A list item without its merge key: upstream's message.
  const bad = await k(['patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"image":"y"}]}}}}'], { allowFail: true });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Error from server: map: map\[image:y\] does not contain declared merge key: name/);
});

test('kubectl patch on the scale and status subresources', async () => {
  assert.equal((await k(['patch', 'deployment', 'web', '--subresource=scale', '-p', '{"spec":{"replicas":3}}'])).stdout.trim(), 'scale.autoscaling/web patched');
  assert.equal((await getWeb()).spec.replicas, 3);
  await k(['patch', 'deployment', 'web', '--subresource=status', '-p', '{"status":{"conditions":[{"type":"Custom","status":"True"}]}}']);
  const conds = (await getWeb()).status?.conditions ?? [];
  assert.ok(conds.some((x) => x.type === 'Custom' && x.status === 'True'), JSON.stringify(conds));
});

test('kubectl edit (non-interactive editor) sends a strategic merge patch', async () => {
  const script = join(dir, 'edit.sh');
  await writeFile(script, '#!/bin/sh\nsed -i "s/image: nginx:1.29/image: nginx:edited/" "$1"\n', { mode: 0o755 });
  // The harness passes this process's environment on to kubectl.
  process.env['KUBE_EDITOR'] = script;
  let r;
  try {
    r = await k(['edit', 'deployment', 'web']);
  } finally {
    delete process.env['KUBE_EDITOR'];
  }
  assert.equal(r.stdout.trim(), 'deployment.apps/web edited');
  assert.equal((await getWeb()).spec.template.spec.containers[0]?.image, 'nginx:edited');
});

test('strategic merge patch on core kinds: configmap data and service ports', async () => {
  await k(['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=2']);
  await k(['patch', 'configmap', 'cfg', '-p', '{"data":{"a":null,"c":"3"}}']);
  assert.equal((await k(['get', 'configmap', 'cfg', '-o', 'jsonpath={.data}'])).stdout, '{"b":"2","c":"3"}');
  await k(['create', 'service', 'clusterip', 'svc', '--tcp=80:8080']);
  await k(['patch', 'service', 'svc', '-p', '{"spec":{"ports":[{"port":443,"targetPort":8443,"name":"https"}]}}']);
  const ports = (await k(['get', 'service', 'svc', '-o', 'jsonpath={.spec.ports[*].port}'])).stdout.split(' ').sort();
  assert.deepEqual(ports, ['443', '80']);
});
