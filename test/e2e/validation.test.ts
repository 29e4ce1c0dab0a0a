/**
 * Per-kind validation and defaulting through the real kubectl 1.32: what it prints for
 * an invalid Ingress, PodDisruptionBudget and Pod volume, for a RoleBinding whose roleRef
 * an apply tries to change, and that its own generators (create ingress, create pdb,
 * create priorityclass, create rolebinding) produce objects the server accepts and
 * defaults as upstream does.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;
const NS = 'e2e-validation';

before(async () => {
  c = await startCluster();
  await c.kubectl(['create', 'namespace', NS]);
});

after(async () => {
  await c?.stop();
});

/** kubectl's error output (it prints several causes as "* " lines), with the exit status checked. */
async function fails(args: string[], input: string): Promise<string> {
  const r = await c.kubectl(args, { input, allowFail: true });
  assert.notEqual(r.code, 0, `expected failure, got: ${r.stdout}`);
  return r.stderr.trim();
}

test('kubectl create -f of an Ingress with an unsupported pathType', async () => {
  const out = await fails(
    ['create', '-n', NS, '-f', '-'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Regex
        backend: {service: {name: web, port: {number: 80}}}
`,
  );
  assert.equal(
    out,
    'The Ingress "web" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  );
});

test('an Ingress path without a pathType is refused (v1 does not default it)', async () => {
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: nopathtype}
spec:
  rules:
  - http:
      paths:
      - path: /
        backend: {service: {name: web, port: {name: http, number: 80}}}
`,
  );
  assert.equal(
    out,
    'The Ingress "nopathtype" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
  );
});

test('kubectl create ingress produces a valid Ingress', async () => {
  const r = await c.kubectl(['create', 'ingress', 'simple', '-n', NS, '--class=nginx', '--rule=foo.example.com/bar=svc1:8080,tls=my-cert']);
  assert.match(r.stdout, /ingress.networking.k8s.io\/simple created/);
  const get = await c.kubectl(['get', 'ingress', 'simple', '-n', NS, '-o', 'jsonpath={.spec.rules[0].http.paths[0].pathType} {.spec.tls[0].secretName}']);
  assert.equal(get.stdout, 'Exact my-cert');
});

test('a RoleBinding whose roleRef an apply changes: the upstream immutable message', async () => {
  const binding = (role: string): string => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: ${NS}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects:
- {kind: User, name: jane}
`;
  const first = await c.kubectl(['apply', '-f', '-'], { input: binding('view') });
  assert.match(first.stdout, /rolebinding.rbac.authorization.k8s.io\/viewers created/);
  const out = await fails(['apply', '-f', '-'], binding('edit'));
  assert.equal(
    out,
    'The RoleBinding "viewers" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
  );
  const get = await c.kubectl(['get', 'rolebinding', 'viewers', '-n', NS, '-o', 'jsonpath={.roleRef.name} {.subjects[0].apiGroup}']);
  assert.equal(get.stdout, 'view rbac.authorization.k8s.io', 'the binding is unchanged and its User subject was defaulted');
});

test('kubectl create rolebinding and clusterrole produce valid objects', async () => {
  const role = await c.kubectl(['create', 'clusterrole', 'pod-reader', '--verb=get,list', '--resource=pods']);
  assert.match(role.stdout, /clusterrole.rbac.authorization.k8s.io\/pod-reader created/);
  const rb = await c.kubectl(['create', 'rolebinding', 'readers', '-n', NS, '--clusterrole=pod-reader', '--serviceaccount=default:default', '--group=devs']);
  assert.match(rb.stdout, /rolebinding.rbac.authorization.k8s.io\/readers created/);
  const bad = await fails(
    ['create', '-f', '-'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: broken}
rules:
- resources: [pods]
`,
  );
  assert.equal(
    bad,
    [
      'The ClusterRole "broken" is invalid: ',
      '* rules[0].verbs: Required value: verbs must contain at least one value',
      '* rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    ].join('\n'),
  );
});

test('a PodDisruptionBudget with both minAvailable and maxUnavailable', async () => {
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: both}
spec:
  minAvailable: 1
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
`,
  );
  assert.equal(
    out,
    'The PodDisruptionBudget "both" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000a10000), Selector:(*v1.LabelSelector)(0xc000a10020), MaxUnavailable:(*intstr.IntOrString)(0xc000a10040), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
  );
  const ok = await c.kubectl(['create', 'pdb', 'web', '-n', NS, '--selector=app=web', '--max-unavailable=25%']);
  assert.match(ok.stdout, /poddisruptionbudget.policy\/web created/);
});

test('a Pod with two sources in one volume', async () => {
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: v1
kind: Pod
metadata: {name: vols}
spec:
  volumes:
  - name: data
    emptyDir: {}
    persistentVolumeClaim: {claimName: data}
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - {name: data, mountPath: /data}
`,
  );
  assert.equal(
    out,
    [
      'The Pod "vols" is invalid: ',
      '* spec.volumes[0].persistentVolumeClaim: Forbidden: may not specify more than 1 volume type',
      '* spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ].join('\n'),
  );
});

test('PriorityClass and StorageClass defaults, and their immutable fields', async () => {
  const pc = await c.kubectl(['create', 'priorityclass', 'batch', '--value=100', '--description=batch jobs']);
  assert.match(pc.stdout, /priorityclass.scheduling.k8s.io\/batch created/);
  const got = await c.kubectl(['get', 'priorityclass', 'batch', '-o', 'jsonpath={.preemptionPolicy}']);
  assert.equal(got.stdout, 'PreemptLowerPriority');
  const patch = await c.kubectl(['patch', 'priorityclass', 'batch', '--type=merge', '-p', '{"value":200}'], { allowFail: true });
  assert.notEqual(patch.code, 0);
  assert.equal(patch.stderr.trim(), 'The PriorityClass "batch" is invalid: value: Forbidden: may not be changed in an update.');

  const sc = (param: string): string => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: example.com/ssd
parameters: {tier: "${param}"}
`;
  const created = await c.kubectl(['apply', '-f', '-'], { input: sc('1') });
  assert.match(created.stdout, /storageclass.storage.k8s.io\/fast created/);
  const fields = await c.kubectl(['get', 'storageclass', 'fast', '-o', 'jsonpath={.reclaimPolicy} {.volumeBindingMode}']);
  assert.equal(fields.stdout, 'Delete Immediate');
  const out = await fails(['apply', '-f', '-'], sc('2'));
  assert.equal(out, 'The StorageClass "fast" is invalid: parameters: Forbidden: updates to parameters are forbidden.');
});
