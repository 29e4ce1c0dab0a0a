/**
 * Server-side field validation through the real kubectl: `apply -f` sends
 * fieldValidation=Strict (its --validate default) and prints the server's strict
 * decoding error; --validate=warn prints the server's Warning and succeeds;
 * --validate=false sends Ignore and succeeds silently. Both create (POST) and the
 * apply of an existing object (PATCH) are covered.
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

test('kubectl apply (strict) of a Deployment with an unknown field fails with the strict decoding error', async () => {
  const r = await c.kubectl(['apply', '-f', '-'], { input: deployment('strict', '  replicass: 2\n'), allowFail: true });
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /strict decoding error: unknown field "spec\.replicass"/);
  const get = await c.kubectl(['get', 'deployment', 'strict', '-n', NS], { allowFail: true });
  assert.notEqual(get.code, 0, 'nothing was created');
});

test('kubectl apply --validate=warn prints the warning and creates the Deployment', async () => {
  const r = await c.kubectl(['apply', '--validate=warn', '-f', '-'], { input: deployment('warn', '  replicass: 2\n') });
  assert.match(r.stderr, /Warning: unknown field "spec\.replicass"/);
  assert.match(r.stdout, /deployment.apps\/warn created/);
});

test('kubectl apply --validate=false creates the Deployment without a word', async () => {
  const r = await c.kubectl(['apply', '--validate=false', '-f', '-'], { input: deployment('ignore', '  replicass: 2\n') });
  assert.doesNotMatch(r.stderr, /unknown field/);
  assert.match(r.stdout, /deployment.apps\/ignore created/);
});

test('kubectl apply (strict) to an existing Deployment: the patch is checked too', async () => {
  await c.kubectl(['apply', '-f', '-'], { input: deployment('patched', '  replicas: 1\n') });
  const bad = await c.kubectl(['apply', '-f', '-'], { input: deployment('patched', '  replicas: 1\n  paused: false\n  minReadySecondz: 3\n'), allowFail: true });
  assert.notEqual(bad.code, 0, bad.stdout);
  assert.match(bad.stderr, /strict decoding error: unknown field "spec\.minReadySecondz"/);
  const ok = await c.kubectl(['apply', '-f', '-'], { input: deployment('patched', '  replicas: 2\n') });
  assert.match(ok.stdout, /deployment.apps\/patched configured/);
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
