/**
 * The official Python client (Debian's python3-kubernetes) against `kubelite up`, used
 * unchanged. python/smoke.py does what Python users do every day and prints what the
 * client returned, step by step, as one JSON object; this file asserts on it.
 *
 * The client is installed for the system interpreter (.ci/run installs it); a missing
 * client fails the suite with the command that installs it. KUBELITE_PYTHON may point
 * at another interpreter that has `kubernetes` installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, ROOT, type Cluster } from './harness.js';

const PYTHON = process.env.KUBELITE_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(ROOT, 'test', 'e2e', 'python', 'smoke.py');
const NS = 'py-smoke';
const INSTALL_HINT = 'install it with `apt-get install -y python3-kubernetes` (.ci/run does this)';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function python(args: string[], timeoutMs: number): Promise<Result> {
  // The script is given its kubeconfig explicitly; no ambient KUBECONFIG may leak in.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', PYTHONDONTWRITEBYTECODE: '1' };
  return new Promise((resolve) => {
    execFile(PYTHON, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env }, (err, stdout, stderr) => {
      const exit = (err as { code?: unknown } | null)?.code;
      const code = err ? (typeof exit === 'number' ? exit : 1) : 0;
      // No exit code: the interpreter did not start, or the timeout killed it.
      const why = err && typeof exit !== 'number' ? (err.killed ? `killed after ${timeoutMs} ms\n` : `${err.message}\n`) : '';
      resolve({ code, stdout: stdout.toString(), stderr: why + stderr.toString() });
    });
  });
}

type Step = { ok: true; value: any } | { ok: false; error: string };
let c: Cluster;
let steps: Record<string, Step> = {};

before(async () => {
  const probe = await python(['-c', 'import kubernetes; print(kubernetes.__version__)'], 30_000);
  if (probe.code !== 0) throw new Error(`the Python Kubernetes client is not importable by ${PYTHON}: ${INSTALL_HINT}\n${probe.stderr}`);
  c = await startCluster();
  const run = await python([SCRIPT, c.kubeconfig, NS], 240_000);
  if (run.code === 3) throw new Error(`${SCRIPT} could not import the client: ${INSTALL_HINT}\n${run.stderr}`);
  assert.equal(run.code, 0, `${SCRIPT} exited with ${run.code}:\n${run.stderr}${run.stdout}`);
  try {
    steps = JSON.parse(run.stdout) as Record<string, Step>;
  } catch {
    assert.fail(`${SCRIPT} did not print JSON:\n${run.stdout}\n${run.stderr}`);
  }
});
after(async () => {
  await c?.stop();
});

/** The value a step returned; a step that raised fails the test with its traceback. */
function value(name: string): any {
  const s = steps[name];
  assert.ok(s !== undefined, `smoke.py recorded no step "${name}"`);
  if (!s.ok) assert.fail(`smoke.py step "${name}" raised:\n${s.error}`);
  return s.value;
}

test('load_kube_config(config_file=...) reaches the server, which reports 1.32', () => {
  const v = value('version');
  assert.equal(v.major, '1');
  assert.equal(v.minor, '32');
  assert.match(v.gitVersion, /^v1\.32\./);
});

test('list_namespace sees the system namespaces; create_namespace returns an Active one', () => {
  const v = value('namespaces');
  for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(v.before.includes(n), `${n} in ${v.before}`);
  assert.deepEqual({ created: v.created, phase: v.phase }, { created: NS, phase: 'Active' });
});

test('ConfigMap create, read, patch with a dict (strategic merge) and a list (JSON patch), list by label', () => {
  const v = value('configmap');
  assert.deepEqual(v, {
    createdType: 'V1ConfigMap',
    uidSet: true,
    createdTimestampType: 'datetime',
    readData: { a: '1' },
    strategicData: { a: '1', b: '2' },
    jsonPatchData: { a: '10', b: '2' },
    resourceVersionChanged: true,
    listedNames: ['cm'],
    listResourceVersionSet: true,
  });
});

test('ApiException carries the HTTP status and phrase and the upstream Status body', () => {
  const cases = [
    { step: 'notFound', status: 404, phrase: 'Not Found', reason: 'NotFound', name: 'missing', message: 'configmaps "missing" not found' },
    { step: 'alreadyExists', status: 409, phrase: 'Conflict', reason: 'AlreadyExists', name: 'cm', message: 'configmaps "cm" already exists' },
    {
      step: 'conflict',
      status: 409,
      phrase: 'Conflict',
      reason: 'Conflict',
      name: 'cm',
      message: 'Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again',
    },
  ];
  for (const tc of cases) {
    const v = value(tc.step);
    assert.equal(v.status, tc.status, tc.step);
    assert.equal(v.reason, tc.phrase, tc.step);
    const b = v.body;
    assert.deepEqual(
      { kind: b.kind, apiVersion: b.apiVersion, status: b.status, reason: b.reason, code: b.code, message: b.message },
      { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: tc.reason, code: tc.status, message: tc.message },
      tc.step,
    );
    assert.deepEqual({ name: b.details?.name, kind: b.details?.kind }, { name: tc.name, kind: 'configmaps' }, tc.step);
  }
});

test('DynamicClient reads discovery, gets, merge-patches and raises NotFoundError', () => {
  const v = value('dynamic');
  assert.deepEqual(v, {
    kind: 'ConfigMap',
    data: { a: '10', b: '2', c: '3' },
    mergedData: { a: '10', b: '2' },
    deploymentNamespaced: true,
    deploymentVerbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    defaultPhase: 'Active',
    missing: { status: 404, reason: 'Not Found' },
  });
});

test('delete_namespaced_config_map returns a Success Status naming the object', () => {
  assert.deepEqual(value('delete'), {
    type: 'V1Status',
    status: 'Success',
    kind: 'Status',
    details: { name: 'cm', kind: 'configmaps', uidSet: true },
  });
});

test('watch.Watch().stream sees ADDED, MODIFIED, DELETED as V1ConfigMap and ends at timeout_seconds', () => {
  const v = value('watch');
  assert.deepEqual(v.events, [
    { type: 'ADDED', objectType: 'V1ConfigMap', name: 'watched', data: { n: '1' } },
    { type: 'MODIFIED', objectType: 'V1ConfigMap', name: 'watched', data: { n: '2' } },
    { type: 'DELETED', objectType: 'V1ConfigMap', name: 'watched', data: { n: '2' } },
  ]);
  assert.equal(v.idleEvents, 0);
});

test('a Deployment created from a dict becomes available; list_namespaced_pod selects its pods', () => {
  const v = value('deployment');
  assert.equal(v.strategy, 'RollingUpdate');
  assert.equal(v.revisionHistoryLimit, 10);
  assert.deepEqual(v.status, { replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
  assert.deepEqual(v.conditions, [
    ['Available', 'True', 'MinimumReplicasAvailable'],
    ['Progressing', 'True', 'NewReplicaSetAvailable'],
  ]);
  assert.equal(v.pods.length, 2);
  for (const p of v.pods) {
    assert.equal(p.phase, 'Running');
    assert.ok(p.nodeName, 'scheduled to a node');
    assert.deepEqual(p.owner, ['ReplicaSet']);
    assert.deepEqual(p.ready, ['True']);
    assert.equal(p.startTimeType, 'datetime');
  }
  assert.equal(v.setBasedMatches, 2);
  assert.equal(v.otherMatches, 0);
});

test('utils.create_from_dict creates a Service with a cluster IP', () => {
  assert.deepEqual(value('createFromDict'), { type: 'V1Service', clusterIPSet: true, serviceType: 'ClusterIP', protocol: 'TCP' });
});

test('delete_namespace answers with the Namespace, now Terminating', () => {
  assert.deepEqual(value('cleanup'), { kind: 'Namespace', phase: 'Terminating', deletionTimestampSet: true });
});
