/**
 * `kubectl explain` (1.32, OpenAPI v3) against the served schemas: enum fields print an
 * ENUM section and their description ends with the values, as against upstream.
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
