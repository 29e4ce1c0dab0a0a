/**
 * The real kubectl (v1.32) against `kubelite up`: what a user types, and what they see.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startCluster, KUBECTL, type Cluster } from './harness.js';

let c: Cluster;

before(async () => {
  c = await startCluster();
});

after(async () => {
  await c?.stop();
});

const k = (args: string[], opts?: { input?: string; allowFail?: boolean }) => c.kubectl(args, opts);

test('version and health endpoints', async () => {
  const v = await k(['version', '-o', 'json']);
  const parsed = JSON.parse(v.stdout) as { serverVersion: { major: string; minor: string; gitVersion: string } };
  assert.equal(parsed.serverVersion.major, '1');
  assert.equal(parsed.serverVersion.minor, '32');
  const ready = await k(['get', '--raw', '/readyz?verbose']);
  assert.match(ready.stdout, /\[\+\]ping ok/);
  assert.match(ready.stdout, /\[\+\]etcd ok/);
  assert.match(ready.stdout, /readyz check passed/);
  const livez = await k(['get', '--raw', '/livez']);
  assert.equal(livez.stdout, 'ok');
});

test('system namespaces and the kubernetes service exist from the start', async () => {
  const ns = await k(['get', 'namespaces']);
  const lines = ns.stdout.trim().split('\n');
  assert.match(lines[0]!, /^NAME\s+STATUS\s+AGE$/);
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    assert.ok(lines.some((l) => new RegExp(`^${name}\\s+Active\\s+`).test(l)), `namespace ${name} in:\n${ns.stdout}`);
  }
  const svc = await k(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP} {.spec.ports[0].port}']);
  assert.equal(svc.stdout, '10.96.0.1 443');
});

test('create, get in every output format, label, annotate, replace, delete', async () => {
  await k(['create', 'namespace', 'e2e-crud']);
  const created = await k(['create', 'configmap', 'app-config', '-n', 'e2e-crud', '--from-literal=color=blue']);
  assert.equal(created.stdout.trim(), 'configmap/app-config created');
  const dup = await k(['create', 'configmap', 'app-config', '-n', 'e2e-crud'], { allowFail: true });
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /configmaps "app-config" already exists/);

  const table = await k(['get', 'configmap', 'app-config', '-n', 'e2e-crud']);
  assert.match(table.stdout, /^NAME\s+DATA\s+AGE\napp-config\s+1\s+\d+s\n$/);
  const yaml = await k(['get', 'configmap', 'app-config', '-n', 'e2e-crud', '-o', 'yaml']);
  assert.match(yaml.stdout, /color: blue/);
  assert.match(yaml.stdout, /resourceVersion: "\d+"/);
  assert.match(yaml.stdout, /uid: [0-9a-f-]{36}/);
  const json = JSON.parse((await k(['get', 'configmap', 'app-config', '-n', 'e2e-crud', '-o', 'json'])).stdout) as { kind: string; apiVersion: string; data: { color: string } };
  assert.deepEqual([json.kind, json.apiVersion, json.data.color], ['ConfigMap', 'v1', 'blue']);
  const name = await k(['get', 'configmaps', '-n', 'e2e-crud', '-o', 'name']);
  assert.match(name.stdout, /^configmap\/app-config$/m);
  const jp = await k(['get', 'configmap', 'app-config', '-n', 'e2e-crud', '-o', 'jsonpath={.data.color}']);
  assert.equal(jp.stdout, 'blue');

  assert.equal((await k(['label', 'configmap', 'app-config', '-n', 'e2e-crud', 'tier=web'])).stdout.trim(), 'configmap/app-config labeled');
  assert.equal((await k(['annotate', 'configmap', 'app-config', '-n', 'e2e-crud', 'owner=team-a'])).stdout.trim(), 'configmap/app-config annotated');
  const labelled = await k(['get', 'configmaps', '-n', 'e2e-crud', '-l', 'tier=web', '-o', 'name']);
  assert.equal(labelled.stdout.trim(), 'configmap/app-config');
  const none = await k(['get', 'configmaps', '-n', 'e2e-crud', '-l', 'tier!=web', '-o', 'name']);
  assert.ok(!none.stdout.includes('app-config'));

  const current = JSON.parse((await k(['get', 'configmap', 'app-config', '-n', 'e2e-crud', '-o', 'json'])).stdout) as Record<string, any>;
  current.data.color = 'green';
  const replaced = await k(['replace', '-f', '-'], { input: JSON.stringify(current) });
  assert.equal(replaced.stdout.trim(), 'configmap/app-config replaced');
  // Replaying the same (now stale) resourceVersion is a conflict, with upstream's message.
  current.data.color = 'red';
  const stale = await k(['replace', '-f', '-'], { input: JSON.stringify(current), allowFail: true });
  assert.notEqual(stale.code, 0);
  assert.match(stale.stderr, /the object has been modified; please apply your changes to the latest version and try again/);

  const del = await k(['delete', 'configmap', 'app-config', '-n', 'e2e-crud']);
  assert.equal(del.stdout.trim(), 'configmap "app-config" deleted');
  const gone = await k(['get', 'configmap', 'app-config', '-n', 'e2e-crud'], { allowFail: true });
  assert.match(gone.stderr, /configmaps "app-config" not found/);
});

test('create -f with a deployment, scale through the scale subresource, dry-run=server writes nothing', async () => {
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
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
        image: nginx:1.27
`;
  const dry = await k(['create', '-f', '-', '--dry-run=server'], { input: manifest });
  assert.equal(dry.stdout.trim(), 'deployment.apps/web created (server dry run)');
  const absent = await k(['get', 'deployment', 'web'], { allowFail: true });
  assert.match(absent.stderr, /deployments.apps "web" not found/);
  assert.equal((await k(['create', '-f', '-'], { input: manifest })).stdout.trim(), 'deployment.apps/web created');
  assert.equal((await k(['scale', 'deployment', 'web', '--replicas=3'])).stdout.trim(), 'deployment.apps/web scaled');
  assert.equal((await k(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).stdout, '3 2');
  await k(['delete', 'deployment', 'web']);
});

test('--chunk-size pages through a long list', async () => {
  await k(['create', 'namespace', 'e2e-chunks']);
  const items = Array.from({ length: 25 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(2, '0')}`, namespace: 'e2e-chunks' } }));
  await k(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
  const out = await k(['get', 'configmaps', '-n', 'e2e-chunks', '--chunk-size=4', '-o', 'name', '-v=6'], {});
  const names = out.stdout.trim().split('\n').filter((l) => l.startsWith('configmap/cm-'));
  assert.equal(names.length, 25);
  // kubectl logs each page request at -v=6; more than one page proves pagination was used.
  const pages = out.stderr.split('\n').filter((l) => /GET https:\/\/\S+\/configmaps\?\S*limit=4/.test(l));
  assert.ok(pages.length >= 7, `expected at least 7 page requests, saw ${pages.length}`);
});

test('kubectl get -w streams changes', async () => {
  await k(['create', 'namespace', 'e2e-watch']);
  const child = spawn(KUBECTL, ['--kubeconfig', c.kubeconfig, 'get', 'configmaps', '-n', 'e2e-watch', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, re);
  };
  try {
    await k(['create', 'configmap', 'watched', '-n', 'e2e-watch']);
    await waitFor(/ADDED\s+watched\s+0\s+/);
    await k(['label', 'configmap', 'watched', '-n', 'e2e-watch', 'x=y']);
    await waitFor(/MODIFIED\s+watched\s+/);
    await k(['delete', 'configmap', 'watched', '-n', 'e2e-watch']);
    await waitFor(/DELETED\s+watched\s+/);
  } finally {
    child.kill('SIGTERM');
  }
});

test('creating into a missing namespace is refused; bad names are Invalid', async () => {
  const missing = await k(['create', 'configmap', 'x', '-n', 'no-such-ns'], { allowFail: true });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /namespaces "no-such-ns" not found/);
  const bad = await k(['create', 'configmap', 'Bad_Name'], { allowFail: true });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/);
});

test('a request without credentials is refused except for public endpoints', async () => {
  const base = `https://127.0.0.1:${c.port}`;
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      void import('node:https').then((https) => {
        https
          .get(`${base}${path}`, { rejectUnauthorized: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    });
  const v = await get('/version');
  assert.equal(v.status, 200);
  const pods = await get('/api/v1/namespaces/default/pods');
  assert.equal(pods.status, 403);
  const status = JSON.parse(pods.body) as { kind: string; reason: string; message: string };
  assert.equal(status.kind, 'Status');
  assert.equal(status.reason, 'Forbidden');
  assert.match(status.message, /User "system:anonymous" cannot list resource "pods"/);
});

test('auth can-i and auth whoami ask the server', async () => {
  assert.equal((await c.kubectl(['auth', 'can-i', 'create', 'deployments'])).stdout.trim(), 'yes');
  assert.equal((await c.kubectl(['auth', 'can-i', 'delete', 'nodes', '--all-namespaces'])).stdout.trim(), 'yes');
  const list = (await c.kubectl(['auth', 'can-i', '--list'])).stdout;
  assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]\n\s+\[\*\]\s+\[\]\s+\[\*\]\n$/);
  assert.match((await c.kubectl(['auth', 'whoami'])).stdout, /^Username\s+kubernetes-admin$/m);
});
