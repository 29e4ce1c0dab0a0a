/**
 * `kubectl explain` (1.32, OpenAPI v3) against the served schemas: enum fields print an
 * ENUM section and their description ends with the values, as against upstream. Fields
 * Kubernetes 1.31/1.32 added (beyond the 1.30 typings the schemas start from) are
 * explained too, and kubectl's default Strict field validation accepts them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;

before(async () => {
  c = await startCluster();
});

after(async () => {
  await c?.stop();
});

async function explain(field: string): Promise<string> {
  const r = await c.kubectl(['explain', field]);
  assert.equal(r.stderr, '', field);
  return r.stdout;
}

test('pod.spec.restartPolicy prints its ENUM section like upstream', async () => {
  assert.equal(
    await explain('pod.spec.restartPolicy'),
    [
      'KIND:       Pod',
      'VERSION:    v1',
      '',
      'FIELD: restartPolicy <string>',
      'ENUM:',
      '    Always',
      '    Never',
      '    OnFailure',
      '',
      'DESCRIPTION:',
      '    Restart policy for all containers within the pod. One of Always, OnFailure,',
      '    Never. In some contexts, only a subset of those values may be permitted.',
      '    Default to Always. More info:',
      '    https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy',
      '    ',
      '    Possible enum values:',
      '     - `"Always"`',
      '     - `"Never"`',
      '     - `"OnFailure"`',
      '    ',
      '',
      '',
    ].join('\n'),
  );
});

test('enum fields of several groups print their values', async () => {
  const cases: { field: string; header: RegExp; values: string[] }[] = [
    { field: 'deployment.spec.strategy.type', header: /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: type <string>\n/, values: ['Recreate', 'RollingUpdate'] },
    { field: 'pod.spec.containers.ports.protocol', header: /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: protocol <string>\n/, values: ['SCTP', 'TCP', 'UDP'] },
    { field: 'service.spec.type', header: /^KIND:\s+Service\nVERSION:\s+v1\n\nFIELD: type <string>\n/, values: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] },
    { field: 'ingress.spec.rules.http.paths.pathType', header: /^GROUP:\s+networking\.k8s\.io\nKIND:\s+Ingress\n/, values: ['Exact', 'ImplementationSpecific', 'Prefix'] },
    { field: 'cronjob.spec.concurrencyPolicy', header: /^GROUP:\s+batch\nKIND:\s+CronJob\n/, values: ['Allow', 'Forbid', 'Replace'] },
  ];
  for (const k of cases) {
    const out = await explain(k.field);
    assert.match(out, k.header, k.field);
    assert.ok(out.includes(`ENUM:\n${k.values.map((v) => `    ${v}\n`).join('')}\nDESCRIPTION:\n`), `${k.field}:\n${out}`);
    assert.ok(out.includes(`Possible enum values:\n${k.values.map((v) => `     - \`"${v}"\``).join('\n')}`), `${k.field}:\n${out}`);
  }
});

test('a field without an enum type prints no ENUM section', async () => {
  const out = await explain('pod.spec.nodeName');
  assert.match(out, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: nodeName <string>\n\n\nDESCRIPTION:\n/);
  assert.ok(!out.includes('ENUM:'));
});

test('fields added in 1.31 and 1.32 are explained', async () => {
  const resources = await explain('pod.spec.resources');
  assert.match(resources, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: resources <ResourceRequirements>\n\n\nDESCRIPTION:\n {4}Pod-level compute resources/);
  for (const f of ['claims\t<[]ResourceClaim>', 'limits\t<map[string]Quantity>', 'requests\t<map[string]Quantity>']) {
    assert.ok(resources.includes(`\nFIELDS:\n`) && resources.includes(`  ${f}\n`), `${f}:\n${resources}`);
  }

  const cases: { field: string; header: RegExp; values?: string[] }[] = [
    { field: 'pod.spec.securityContext.supplementalGroupsPolicy', header: /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: supplementalGroupsPolicy <string>\n/, values: ['Merge', 'Strict'] },
    { field: 'pod.spec.volumes.image.pullPolicy', header: /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: pullPolicy <string>\n/, values: ['Always', 'IfNotPresent', 'Never'] },
    { field: 'pod.status.containerStatuses.allocatedResourcesStatus', header: /\nFIELD: allocatedResourcesStatus <\[\]ResourceStatus>\n[\s\S]*\n {2}resources\t<\[\]ResourceHealth>\n/ },
    { field: 'pod.spec.resourceClaims.resourceClaimTemplateName', header: /\nFIELD: resourceClaimTemplateName <string>\n/ },
    { field: 'node.status.features', header: /\nFIELD: features <NodeFeatures>\n[\s\S]*\n {2}supplementalGroupsPolicy\t<boolean>\n/ },
    { field: 'lease.spec.preferredHolder', header: /^GROUP:\s+coordination\.k8s\.io\nKIND:\s+Lease\n[\s\S]*\nFIELD: preferredHolder <string>\n/ },
  ];
  for (const k of cases) {
    const out = await explain(k.field);
    assert.match(out, k.header, `${k.field}:\n${out}`);
    if (k.values !== undefined) assert.ok(out.includes(`ENUM:\n${k.values.map((v) => `    ${v}\n`).join('')}\nDESCRIPTION:\n`), `${k.field}:\n${out}`);
  }
});

test('a field removed in 1.31 is no longer explained', async () => {
  const r = await c.kubectl(['explain', 'pod.spec.resourceClaims.source'], { allowFail: true });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /field "source" does not exist/);
});

test('1.32 fields pass Strict validation; those of features 1.32 has off are dropped, as upstream', async () => {
  const pod = (name: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
spec:
  resources:
    limits: {cpu: "1", memory: 1Gi}
  securityContext:
    supplementalGroupsPolicy: Strict
    runAsNonRoot: true
  containers:
  - name: c
    image: busybox
`;
  const created = await c.kubectl(['create', '-f', '-'], { input: pod('pod-level-resources') });
  assert.equal(created.stdout, 'pod/pod-level-resources created\n');
  assert.equal(created.stderr, '');
  const applied = await c.kubectl(['apply', '--server-side', '-f', '-'], { input: pod('pod-level-resources-ssa') });
  assert.equal(applied.stdout, 'pod/pod-level-resources-ssa serverside-applied\n');
  assert.equal(applied.stderr, '');
  for (const name of ['pod-level-resources', 'pod-level-resources-ssa']) {
    // PodLevelResources and SupplementalGroupsPolicy are alpha (off) in 1.32: the server
    // accepts the manifest and drops those fields; the rest of the securityContext stays.
    const got = await c.kubectl(['get', 'pod', name, '-o', 'json']);
    const spec = JSON.parse(got.stdout).spec;
    assert.equal(spec.resources, undefined, name);
    assert.deepEqual(spec.securityContext, { runAsNonRoot: true }, name);
  }
});

test('kubectl validates a 1.31 field against the served schema and the server keeps it', async () => {
  // AuthorizeWithSelectors is on by default in 1.32, so upstream answers with the
  // selectors it was asked about. kubectl validates this create-only kind client-side
  // against /openapi/v2, where the field must be declared.
  const review = `apiVersion: authorization.k8s.io/v1
kind: SelfSubjectAccessReview
spec:
  resourceAttributes:
    verb: list
    resource: pods
    namespace: default
    fieldSelector:
      requirements:
      - {key: spec.nodeName, operator: In, values: [node-1]}
    labelSelector:
      rawSelector: app=web
`;
  const r = await c.kubectl(['create', '-f', '-', '-o', 'jsonpath={.spec.resourceAttributes.fieldSelector.requirements[0].values[0]} {.spec.resourceAttributes.labelSelector.rawSelector} {.status.allowed}'], {
    input: review,
  });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'node-1 app=web true');
});
