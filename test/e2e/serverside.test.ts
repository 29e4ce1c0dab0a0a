/**
 * Server-side apply with the real kubectl: `apply --server-side` creating and updating,
 * managedFields as `--show-managed-fields` prints them, conflicts with another manager
 * (kubectl scale) and `--force-conflicts`, two managers sharing an object, moving from
 * client-side to server-side apply, `diff --server-side`, dry runs, and the errors a
 * bad configuration gets.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;
let dir: string;
before(async () => {
  c = await startCluster({ extraArgs: ['--nodes', '1'] });
  dir = await mkdtemp(join(tmpdir(), 'kubelite-ssa-'));
});
after(async () => {
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function deployment(name: string, o: { replicas?: number; image?: string; extra?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${o.replicas ?? 2}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: ${o.image ?? 'nginx:1.25'}
        ports: [{containerPort: 80}]
${o.extra ?? ''}`;
}

async function file(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

async function managedFields(kind: string, name: string): Promise<Record<string, any>[]> {
  const out = await c.kubectl(['get', kind, name, '-o', 'yaml', '--show-managed-fields']);
  return (parse(out.stdout) as { metadata: { managedFields: Record<string, any>[] } }).metadata.managedFields;
}

test('apply --server-side creates, then updates, and kubectl owns exactly what it sent', async () => {
  const p = await file('web.yaml', deployment('web'));
  assert.equal((await c.kubectl(['apply', '--server-side', '-f', p])).stdout.trim(), 'deployment.apps/web serverside-applied');
  await writeFile(p, deployment('web', { image: 'nginx:1.26' }));
  assert.equal((await c.kubectl(['apply', '--server-side', '-f', p])).stdout.trim(), 'deployment.apps/web serverside-applied');
  assert.equal((await c.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout, 'nginx:1.26');
  const mf = await managedFields('deployment', 'web');
  const mine: Record<string, any> | undefined = mf.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
  assert.ok(mine, JSON.stringify(mf));
  assert.equal(mine.apiVersion, 'apps/v1');
  assert.equal(mine.fieldsType, 'FieldsV1');
  assert.deepEqual(mine.fieldsV1, {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  });
  // Defaults the server filled are nobody's: kubectl does not own imagePullPolicy.
  const fields: Record<string, any> = mine.fieldsV1;
  assert.equal(fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['f:imagePullPolicy'], undefined);
  // The controller's status writes are an entry of their own.
  await c.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  const status = (await managedFields('deployment', 'web')).find((e) => e.subresource === 'status');
  assert.ok(status?.fieldsV1['f:status'], 'the deployment controller owns status through the status subresource');
});

test('a field another manager changed is a conflict until --force-conflicts', async () => {
  const p = await file('conflict.yaml', deployment('conflict'));
  await c.kubectl(['apply', '--server-side', '-f', p]);
  await c.kubectl(['scale', 'deployment', 'conflict', '--replicas=4']);
  const r = await c.kubectl(['apply', '--server-side', '-f', p], { allowFail: true });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas$/m);
  assert.match(r.stderr, /re-run the apply\s+command with the `--force-conflicts` flag/);
  assert.equal((await c.kubectl(['get', 'deploy', 'conflict', '-o', 'jsonpath={.spec.replicas}'])).stdout, '4', 'a refused apply changes nothing');
  assert.equal((await c.kubectl(['apply', '--server-side', '--force-conflicts', '-f', p])).stdout.trim(), 'deployment.apps/conflict serverside-applied');
  assert.equal((await c.kubectl(['get', 'deploy', 'conflict', '-o', 'jsonpath={.spec.replicas}'])).stdout, '2');
  const scale = (await managedFields('deployment', 'conflict')).find((e) => e.subresource === 'scale');
  assert.equal(scale, undefined, 'the scale entry lost its only field to the forced apply');
});

test('two managers share an object; each removes only what it stops applying', async () => {
  const cm = (data: string, labels: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, labels: {${labels}}}\ndata: {${data}}\n`;
  await c.kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], { input: cm('a: "1"', 'team-a: "yes"') });
  await c.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], { input: cm('b: "2"', 'team-b: "yes"') });
  let got = JSON.parse((await c.kubectl(['get', 'cm', 'shared', '-o', 'json'])).stdout);
  assert.deepEqual(got.data, { a: '1', b: '2' });
  assert.deepEqual(got.metadata.labels, { 'team-a': 'yes', 'team-b': 'yes' });
  // team-a stops applying its label: it goes, team-b's stays.
  await c.kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], { input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: "1"}\n` });
  got = JSON.parse((await c.kubectl(['get', 'cm', 'shared', '-o', 'json'])).stdout);
  assert.deepEqual(got.metadata.labels, { 'team-b': 'yes' });
  assert.deepEqual(got.data, { a: '1', b: '2' });
  // team-b setting a value team-a owns conflicts, naming team-a.
  const r = await c.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], { input: cm('a: "changed", b: "2"', 'team-b: "yes"'), allowFail: true });
  assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "team-a": \.data\.a$/m);
  const managers = (await managedFields('cm', 'shared')).map((e) => `${e.manager}/${e.operation}`).sort();
  assert.deepEqual(managers, ['team-a/Apply', 'team-b/Apply']);
});

test('moving from client-side to server-side apply takes the fields over without conflicts', async () => {
  const p = await file('csa.yaml', deployment('csa'));
  assert.equal((await c.kubectl(['apply', '-f', p])).stdout.trim(), 'deployment.apps/csa created');
  assert.equal((await c.kubectl(['apply', '--server-side', '-f', p])).stdout.trim(), 'deployment.apps/csa serverside-applied');
  await writeFile(p, deployment('csa', { replicas: 3 }));
  assert.equal((await c.kubectl(['apply', '--server-side', '-f', p])).stdout.trim(), 'deployment.apps/csa serverside-applied');
  const got = JSON.parse((await c.kubectl(['get', 'deploy', 'csa', '-o', 'json'])).stdout);
  assert.equal(got.spec.replicas, 3);
  // kubectl keeps the last-applied annotation in step, so a later client-side apply still works.
  assert.match(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /"replicas":3/);
});

test('diff --server-side shows what an apply would change, and dry runs write nothing', async () => {
  const p = await file('diff.yaml', deployment('diffed'));
  await c.kubectl(['apply', '--server-side', '-f', p]);
  // Let the controllers settle: diff compares a GET with a dry-run apply, and a status
  // write between the two shows up as a difference (as it would upstream).
  await c.kubectl(['rollout', 'status', 'deployment/diffed', '--timeout=60s']);
  const same = await c.kubectl(['diff', '--server-side', '-f', p], { allowFail: true });
  assert.equal(same.code, 0, `no differences: ${same.stdout}${same.stderr}`);
  await writeFile(p, deployment('diffed', { image: 'nginx:2' }));
  const d = await c.kubectl(['diff', '--server-side', '-f', p], { allowFail: true });
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /^-\s+- image: nginx:1\.25$/m);
  assert.match(d.stdout, /^\+\s+- image: nginx:2$/m);
  assert.equal((await c.kubectl(['apply', '--server-side', '--dry-run=server', '-f', p])).stdout.trim(), 'deployment.apps/diffed serverside-applied (server dry run)');
  assert.equal((await c.kubectl(['get', 'deploy', 'diffed', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout, 'nginx:1.25');
});

test('bad configurations are refused with upstream messages and nothing is written', async () => {
  const unknown = await c.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('bad', { extra: '  replicass: 3\n' }).replace('spec:\n  replicas', 'spec:\n  replicass: 3\n  replicas'), allowFail: true });
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /failed to create typed patch object \(default\/bad; apps\/v1, Kind=Deployment\): \.spec\.replicass: field not declared in schema/);
  const wrongType = await c.kubectl(['apply', '--server-side', '--validate=false', '-f', '-'], { input: deployment('bad').replace('replicas: 2', 'replicas: "two"'), allowFail: true });
  assert.match(wrongType.stderr, /\.spec\.replicas: expected numeric \(int or float\), got string/);
  const dup = await c.kubectl(['apply', '--server-side', '-f', '-'], {
    input: deployment('bad').replace('      - name: web\n', '      - name: web\n        image: a\n      - name: web\n'),
    allowFail: true,
  });
  assert.match(dup.stderr, /duplicate entries for key \[name="web"\]/);
  const none = await c.kubectl(['get', 'deploy', 'bad'], { allowFail: true });
  assert.match(none.stderr, /deployments.apps "bad" not found/);
});
