/**
 * Server-side field validation through the real kubectl: `apply -f` sends
 * fieldValidation=Strict (its --validate default) and prints the server's strict
 * decoding error; --validate=warn prints the server's Warning and succeeds;
 * --validate=false sends Ignore and succeeds silently. Both create (POST) and the
 * apply of an existing object (PATCH) are covered. Whatever the directive, an unknown
 * field is never stored: the server decodes into its kind's schema as upstream's Go
 * structs do.
 *
 * Duplicate fields: kubectl decodes a manifest itself before sending it, so a field a
 * manifest names twice reaches the server once (the last value) and `create -f`/`apply -f`
 * succeed, as with upstream. Bodies kubectl sends as written do carry duplicates:
 * `create --raw` and `patch -p`, where the server's duplicate field errors and warnings show.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;

before(async () => {
  c = await startCluster();
  await c.kubectl(['create', 'namespace', NS]);
});

after(async () => {
  await c?.stop();
});

const NS = 'e2e-fieldvalidation';
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;

function deployment(name: string, specExtra: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
${specExtra}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: nginx
`;
}

/** The same Deployment as JSON text, with `specExtra` (members, possibly repeated) first in its spec. */
function deploymentJSON(name: string, specExtra: string): string {
  return `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${name}","namespace":"${NS}"},"spec":{${specExtra}"selector":{"matchLabels":{"app":"${name}"}},"template":{"metadata":{"labels":{"app":"${name}"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}`;
}

/** The stored spec, as `kubectl get -o json` shows it. */
async function storedSpec(name: string): Promise<Record<string, unknown>> {
  const r = await c.kubectl(['get', 'deployment', name, '-n', NS, '-o', 'json']);
  return (JSON.parse(r.stdout) as { spec: Record<string, unknown> }).spec;
}

test('kubectl apply (strict) of a Deployment with an unknown field fails with the strict decoding error', async () => {
  const r = await c.kubectl(['apply', '-f', '-'], { input: deployment('strict', '  replicass: 2\n'), allowFail: true });
  assert.notEqual(r.code, 0, r.stdout);
  assert.equal(
    r.stderr.trim(),
    'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass"',
  );
  const get = await c.kubectl(['get', 'deployment', 'strict', '-n', NS], { allowFail: true });
  assert.notEqual(get.code, 0, 'nothing was created');
});

test('kubectl apply --validate=warn prints the warning and creates the Deployment without the unknown field', async () => {
  const r = await c.kubectl(['apply', '--validate=warn', '-f', '-'], { input: deployment('warn', '  replicas: 2\n  replicass: 2\n') });
  assert.equal(r.stderr.trim(), 'Warning: unknown field "spec.replicass"');
  assert.match(r.stdout, /deployment.apps\/warn created/);
  const spec = await storedSpec('warn');
  assert.equal(spec.replicas, 2);
  assert.ok(!('replicass' in spec), JSON.stringify(spec));
});

test('kubectl apply --validate=false creates the Deployment without a word, and without the unknown field', async () => {
  const r = await c.kubectl(['apply', '--validate=false', '-f', '-'], { input: deployment('ignore', '  replicass: 2\n') });
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /deployment.apps\/ignore created/);
  assert.ok(!('replicass' in (await storedSpec('ignore'))));
});

test('kubectl apply (strict) to an existing Deployment: the patch is checked too', async () => {
  await c.kubectl(['apply', '-f', '-'], { input: deployment('patched', '  replicas: 1\n') });
  const bad = await c.kubectl(['apply', '-f', '-'], { input: deployment('patched', '  replicas: 1\n  paused: false\n  minReadySecondz: 3\n'), allowFail: true });
  assert.notEqual(bad.code, 0, bad.stdout);
  // 422 on field "patch", whose value is the strategic merge patch as Go prints a map.
  assert.match(bad.stderr, /^The request is invalid: patch: Invalid value: "map\[metadata:map\[annotations:map\[kubectl\.kubernetes\.io\/last-applied-configuration:\{.*\]\] spec:map\[minReadySecondz:3 paused:false\]\]": strict decoding error: unknown field "spec\.minReadySecondz"\n$/s);
  const ok = await c.kubectl(['apply', '-f', '-'], { input: deployment('patched', '  replicas: 2\n') });
  assert.match(ok.stdout, /deployment.apps\/patched configured/);
});

test('kubectl apply --validate=warn to an existing Deployment: warned, and the unknown field is not stored', async () => {
  await c.kubectl(['apply', '-f', '-'], { input: deployment('patchwarn', '  replicas: 1\n') });
  const r = await c.kubectl(['apply', '--validate=warn', '-f', '-'], { input: deployment('patchwarn', '  replicas: 3\n  minReadySecondz: 3\n') });
  assert.equal(r.stderr.trim(), 'Warning: unknown field "spec.minReadySecondz"');
  assert.match(r.stdout, /deployment.apps\/patchwarn configured/);
  const spec = await storedSpec('patchwarn');
  assert.equal(spec.replicas, 3);
  assert.ok(!('minReadySecondz' in spec), JSON.stringify(spec));
});

test('kubectl create (strict) names the field inside a container list item', async () => {
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ${NS}}
spec:
  containers:
  - name: c
    image: nginx
    imagee: typo
`;
  const r = await c.kubectl(['create', '-f', '-'], { input: pod, allowFail: true });
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec\.containers\[0\]\.imagee"/);
});

test('kubectl create -f of a manifest naming a field twice: kubectl keeps the last value and the create succeeds', async () => {
  const r = await c.kubectl(['create', '-f', '-'], { input: deployment('twice', '  replicas: 1\n  replicas: 4\n') });
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /deployment.apps\/twice created/);
  assert.equal((await storedSpec('twice')).replicas, 4);
});

test('kubectl create --raw with fieldValidation=Strict: a duplicate field is refused', async () => {
  const body = deploymentJSON('rawstrict', '"replicas":1,"replicas":2,"replicass":3,');
  const r = await c.kubectl(['create', '--raw', `${DEPLOYMENTS}?fieldValidation=Strict`, '-f', '-'], { input: body, allowFail: true });
  assert.notEqual(r.code, 0, r.stdout);
  assert.equal(
    r.stderr.trim(),
    'Error from server (BadRequest): Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "spec.replicas", unknown field "spec.replicass"',
  );
  const get = await c.kubectl(['get', 'deployment', 'rawstrict', '-n', NS], { allowFail: true });
  assert.notEqual(get.code, 0, 'nothing was created');
});

test('kubectl create --raw (Warn by default): a Warning per duplicate, the last value stored', async () => {
  const body = deploymentJSON('rawwarn', '"replicas":1,"replicas":2,');
  const r = await c.kubectl(['create', '--raw', DEPLOYMENTS, '-f', '-'], { input: body });
  assert.equal(r.stderr.trim(), 'Warning: duplicate field "spec.replicas"');
  assert.equal((await storedSpec('rawwarn')).replicas, 2);
});

test('kubectl create --raw with fieldValidation=Ignore: silent, the last value stored, no unknown field', async () => {
  const body = deploymentJSON('rawignore', '"replicas":1,"replicas":3,"replicass":3,');
  const r = await c.kubectl(['create', '--raw', `${DEPLOYMENTS}?fieldValidation=Ignore`, '-f', '-'], { input: body });
  assert.equal(r.stderr, '');
  const spec = await storedSpec('rawignore');
  assert.equal(spec.replicas, 3);
  assert.ok(!('replicass' in spec));
});

test('kubectl patch sends its patch as written: duplicate and unknown fields are warned about', async () => {
  await c.kubectl(['apply', '-f', '-'], { input: deployment('patchme', '  replicas: 1\n') });

  const merge = await c.kubectl(['patch', 'deployment', 'patchme', '-n', NS, '--type', 'merge', '-p', '{"spec":{"replicas":2,"replicas":3}}']);
  assert.equal(merge.stderr.trim(), 'Warning: duplicate field "spec.replicas"');
  assert.match(merge.stdout, /deployment.apps\/patchme patched\n/);
  assert.equal((await storedSpec('patchme')).replicas, 3);
  // kubectl says "(no change)" when the patch response equals what it read first; let the
  // controllers finish the scale-up so no status write lands between the two.
  await c.kubectl(['rollout', 'status', 'deployment/patchme', '-n', NS, '--timeout=60s']);

  const smp = await c.kubectl(['patch', 'deployment', 'patchme', '-n', NS, '-p', '{"spec":{"replicass":5}}']);
  assert.equal(smp.stderr.trim(), 'Warning: unknown field "spec.replicass"');
  assert.match(smp.stdout, /deployment.apps\/patchme patched \(no change\)/);

  const json = await c.kubectl(['patch', 'deployment', 'patchme', '-n', NS, '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4,"valu":1}]']);
  assert.equal(json.stderr.trim(), 'Warning: json patch unknown field "[0].valu"');
  const spec = await storedSpec('patchme');
  assert.equal(spec.replicas, 4);
  assert.ok(!('replicass' in spec));
});
