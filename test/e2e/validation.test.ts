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

test('an HPA whose maxReplicas is below minReplicas: the upstream message; kubectl autoscale output', async () => {
  await c.kubectl(['create', 'deployment', 'scaled', '-n', NS, '--image=nginx']);
  // kubectl autoscale refuses --min above --max itself, so the server's check is reached with a manifest.
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: scaled}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
  minReplicas: 5
  maxReplicas: 2
`,
  );
  assert.equal(out, 'The HorizontalPodAutoscaler "scaled" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
  const ok = await c.kubectl(['autoscale', 'deployment', 'scaled', '-n', NS, '--min=1', '--max=3', '--cpu-percent=60']);
  assert.match(ok.stdout, /horizontalpodautoscaler.autoscaling\/scaled autoscaled/);
  const v2 = await c.kubectl(['get', 'hpa.v2.autoscaling', 'scaled', '-n', NS, '-o', 'jsonpath={.spec.minReplicas} {.spec.metrics[0].resource.target.averageUtilization}']);
  assert.equal(v2.stdout, '1 60');
});

test('an HPA with a bad scaling policy and select policy', async () => {
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: behaved}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
  maxReplicas: 4
  behavior:
    scaleDown:
      selectPolicy: Average
      policies:
      - {type: Pods, value: 1, periodSeconds: 3600}
`,
  );
  assert.equal(
    out,
    [
      'The HorizontalPodAutoscaler "behaved" is invalid: ',
      '* spec.behavior.scaleDown.selectPolicy: Unsupported value: "Average": supported values: "Disabled", "Max", "Min"',
      '* spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800',
    ].join('\n'),
  );
});

test('a ValidatingWebhookConfiguration without sideEffects, then its defaults', async () => {
  const cfg = (sideEffects: string): string => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: e2e-policy}
webhooks:
- name: pods.policy.example.com
${sideEffects}  admissionReviewVersions: [v1]
  clientConfig:
    service: {name: policy, namespace: ${NS}, path: /validate}
  rules:
  - {operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}
`;
  const out = await fails(['create', '-f', '-'], cfg(''));
  assert.equal(
    out,
    'The ValidatingWebhookConfiguration "e2e-policy" is invalid: webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
  );
  const ok = await c.kubectl(['create', '-f', '-'], { input: cfg('  sideEffects: None\n') });
  assert.match(ok.stdout, /validatingwebhookconfiguration.admissionregistration.k8s.io\/e2e-policy created/);
  const got = await c.kubectl([
    'get',
    'validatingwebhookconfiguration',
    'e2e-policy',
    '-o',
    'jsonpath={.webhooks[0].failurePolicy} {.webhooks[0].matchPolicy} {.webhooks[0].timeoutSeconds} {.webhooks[0].clientConfig.service.port} {.webhooks[0].rules[0].scope}',
  ]);
  assert.equal(got.stdout, 'Fail Equivalent 10 443 *');
  await c.kubectl(['delete', 'validatingwebhookconfiguration', 'e2e-policy']);
});

test('a LimitRange whose min is above its max', async () => {
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    min: {cpu: "2"}
    max: {cpu: "1"}
`,
  );
  const q = (n: number) => `resource.Quantity{i:resource.int64Amount{value:${n}, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${n}", Format:"DecimalSI"}`;
  assert.equal(
    out,
    [
      'The LimitRange "limits" is invalid: ',
      `* spec.limits[0].min[cpu]: Invalid value: ${q(2)}: min value 2 is greater than max value 1`,
      `* spec.limits[0].defaultRequest[cpu]: Invalid value: ${q(1)}: min value 2 is greater than default request value 1`,
      `* spec.limits[0].default[cpu]: Invalid value: ${q(2)}: min value 2 is greater than default value 1`,
    ].join('\n'),
  );
});

test('kubectl create quota and a quota with a bad scope', async () => {
  const ok = await c.kubectl(['create', 'quota', 'compute', '-n', NS, '--hard=cpu=2,memory=1Gi,pods=10', '--scopes=NotTerminating']);
  assert.match(ok.stdout, /resourcequota\/compute created/);
  const bad = await c.kubectl(['create', 'quota', 'best', '-n', NS, '--hard=cpu=1', '--scopes=BestEffort'], { allowFail: true });
  assert.notEqual(bad.code, 0);
  assert.equal(
    bad.stderr.trim(),
    'error: failed to create quota: ResourceQuota "best" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
  );
});

test('Endpoints refuse a loopback address; the kubernetes Service keeps its endpoint', async () => {
  const out = await fails(
    ['apply', '-n', NS, '-f', '-'],
    `apiVersion: v1
kind: Endpoints
metadata: {name: local}
subsets:
- addresses: [{ip: 127.0.0.1}]
  ports: [{port: 80}]
`,
  );
  assert.equal(out, 'The Endpoints "local" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)');
  const ep = await c.kubectl(['get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.subsets[0].addresses[0].ip}']);
  assert.equal(ep.stdout, '127.0.0.1');
});

test('a node taint with an unknown effect, and kubectl taint', async () => {
  const nodes = await c.kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
  const node = nodes.stdout.trim();
  assert.notEqual(node, '');
  const bad = await c.kubectl(['patch', 'node', node, '--type=merge', '-p', '{"spec":{"taints":[{"key":"a","effect":"Sometimes"}]}}'], { allowFail: true });
  assert.notEqual(bad.code, 0);
  // The update check reports the taint twice (ValidateNode and ValidateNodeUpdate); kubectl prints it once.
  assert.equal(
    bad.stderr.trim(),
    `The Node "${node}" is invalid: metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
  );
  const ok = await c.kubectl(['taint', 'node', node, 'e2e=yes:PreferNoSchedule']);
  assert.match(ok.stdout, /tainted/);
  await c.kubectl(['taint', 'node', node, 'e2e=yes:PreferNoSchedule-']);
});
