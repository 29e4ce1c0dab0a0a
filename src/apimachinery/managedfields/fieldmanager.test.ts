/**
 * The field manager against the real built-in schema (generated/openapi) and the real
 * empty objects (generated/protobuf): the managed fields a real apiserver writes, and
 * server-side apply's ownership rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefinitions } from '../strategicpatch.js';
import { TypeSchema, type Definitions } from '../typed/schema.js';
import { FieldManager, LAST_APPLIED_ANNOTATION } from './fieldmanager.js';
import { zeroObject } from './zero.js';
import { StatusError } from '../errors.js';

const schema = new TypeSchema(loadDefinitions() as Definitions);
const T0 = Date.parse('2024-05-01T10:00:00Z');

function manager(group: string, version: string, kind: string, subresource = '', now = () => T0): FieldManager {
  const type = schema.definition(schema.definitionForKind(group, version, kind)!)!;
  return new FieldManager({ type, group, version, kind, subresource, resetFields: subresource === '' ? ['status'] : ['spec'], zero: () => zeroObject(group, version, kind) as never, now });
}

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
});

const applied = (image = 'nginx:2', replicas = 3) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image }] } },
  },
});

const entries = (o: { metadata?: Record<string, any> }) => (o.metadata?.managedFields ?? []) as Record<string, any>[];
const managers = (o: { metadata?: Record<string, any> }) => entries(o).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a conflict');
}

test('a create records what upstream records for kubectl create deployment', () => {
  const d = deployment() as any;
  manager('apps', 'v1', 'Deployment').update(undefined, d, 'kubectl-create');
  assert.deepEqual(entries(d), [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:progressDeadlineSeconds': {},
          'f:replicas': {},
          'f:revisionHistoryLimit': {},
          'f:selector': {},
          'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:imagePullPolicy': {},
                  'f:name': {},
                  'f:resources': {},
                  'f:terminationMessagePath': {},
                  'f:terminationMessagePolicy': {},
                },
              },
              'f:dnsPolicy': {},
              'f:restartPolicy': {},
              'f:schedulerName': {},
              'f:securityContext': {},
              'f:terminationGracePeriodSeconds': {},
            },
          },
        },
      },
    },
  ]);
});

test('an update that changes nothing keeps entries and times; one that changes merges into the writer', () => {
  let t = T0;
  const fm = manager('apps', 'v1', 'Deployment', '', () => t);
  const live = deployment() as any;
  fm.update(undefined, live, 'kubectl-create');
  const same = structuredClone(live);
  t += 60_000;
  fm.update(live, same, 'kubectl-edit');
  assert.deepEqual(managers(same), ['kubectl-create/Update']);
  assert.equal(entries(same)[0]!.time, '2024-05-01T10:00:00Z');
  const edited = structuredClone(live);
  edited.spec.replicas = 5;
  fm.update(live, edited, 'kubectl-edit');
  assert.deepEqual(managers(edited), ['kubectl-create/Update', 'kubectl-edit/Update']);
  assert.deepEqual(entries(edited)[1]!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal(entries(edited)[1]!.time, '2024-05-01T10:01:00Z');
  assert.equal(entries(edited)[0]!.fieldsV1['f:spec']['f:replicas'], undefined, 'the creator lost replicas');
});

test('status writes are their own entry; main-resource writers never own status', () => {
  const fm = manager('apps', 'v1', 'Deployment');
  const fmStatus = manager('apps', 'v1', 'Deployment', 'status');
  const live = deployment() as any;
  fm.update(undefined, live, 'kubectl-create');
  const next = structuredClone(live);
  next.status = { replicas: 1, observedGeneration: 1 };
  fmStatus.update(live, next, 'kube-controller-manager');
  // Same second: ordered by manager name, as upstream sorts entries.
  assert.deepEqual(managers(next), ['kube-controller-manager/Update/status', 'kubectl-create/Update']);
  assert.deepEqual(entries(next)[0]!.fieldsV1, { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } });
});

test('apply conflicts with other managers, names them as upstream, and force takes the fields', () => {
  const fm = manager('apps', 'v1', 'Deployment');
  const live = deployment() as any;
  fm.update(undefined, live, 'kubectl-create');
  const e = conflictOf(() => fm.apply(live, applied(), 'kubectl', false));
  assert.equal(e.code, 409);
  assert.equal(e.reason, 'Conflict');
  assert.equal(
    e.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
  );
  assert.deepEqual(e.details?.causes, [
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-create" using apps/v1', field: '.spec.replicas' },
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-create" using apps/v1', field: '.spec.template.spec.containers[name="nginx"].image' },
  ]);
  const out = fm.apply(live, applied(), 'kubectl', true) as any;
  assert.equal(out.spec.replicas, 3);
  assert.equal(out.spec.template.spec.containers[0].image, 'nginx:2');
  assert.equal(out.spec.template.spec.containers[0].imagePullPolicy, 'Always', 'fields nobody applied stay');
  assert.deepEqual(managers(out), ['kubectl/Apply', 'kubectl-create/Update']);
  assert.deepEqual(entries(out)[0]!.fieldsV1, {
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
    },
  });
});

test('applying the same values as another manager shares the fields without conflict', () => {
  const fm = manager('apps', 'v1', 'Deployment');
  const live = deployment() as any;
  fm.update(undefined, live, 'kubectl-create');
  const out = fm.apply(live, applied('nginx', 1), 'ci', false) as any;
  assert.deepEqual(managers(out), ['ci/Apply', 'kubectl-create/Update']);
  assert.ok(entries(out)[1]!.fieldsV1['f:spec']['f:replicas'], 'the creator still co-owns replicas');
});

test('an applier that stops sending a field removes it, unless someone else owns it', () => {
  const fm = manager('', 'v1', 'ConfigMap');
  const cm = (data: Record<string, string>, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(labels ? { labels } : {}) }, data });
  let live = fm.apply(fm.newObject('c', 'default'), cm({ a: '1', b: '2' }, { x: '1', y: '2' }), 'one', false) as any;
  live = fm.apply(live, cm({ b: '2' }, { y: '2' }), 'two', false) as any;
  live = fm.apply(live, cm({ a: '1' }, { x: '1' }), 'one', false) as any;
  assert.deepEqual(live.data, { a: '1', b: '2' }, "b stays: 'two' owns it");
  assert.deepEqual(live.metadata.labels, { x: '1', y: '2' });
  live = fm.apply(live, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'two', false) as any;
  assert.deepEqual(live.data, { a: '1' }, 'b goes once its last owner drops it');
  assert.deepEqual(live.metadata.labels, { x: '1' });
  assert.deepEqual(managers(live), ['one/Apply']);
});

test('apply creates from the empty object; a no-op apply keeps the time', () => {
  let t = T0;
  const fm = manager('apps', 'v1', 'Deployment', '', () => t);
  const created = fm.apply(fm.newObject('nginx', 'default'), applied(), 'kubectl', false) as any;
  assert.equal(created.metadata.name, 'nginx');
  assert.equal(created.metadata.namespace, 'default');
  assert.equal(created.spec.replicas, 3);
  assert.equal('creationTimestamp' in created.metadata, false, 'zero-valued nulls are dropped');
  t += 3_600_000;
  const again = fm.apply(created, applied(), 'kubectl', false) as any;
  assert.deepEqual(again.metadata.managedFields, created.metadata.managedFields);
});

test('bad apply configurations are 400 with upstream wording', () => {
  const fm = manager('apps', 'v1', 'Deployment');
  const live = fm.newObject('nginx', 'default');
  const rows: { cfg: Record<string, unknown>; want: string }[] = [
    { cfg: { ...applied(), apiVersion: 'apps/v1beta1' }, want: 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1' },
    { cfg: { ...applied(), metadata: { name: 'nginx', managedFields: [] } }, want: 'metadata.managedFields must be nil' },
    { cfg: { ...applied(), kind: 'StatefulSet' }, want: 'failed to create typed patch object (/nginx; apps/v1, Kind=Deployment): the configuration\'s kind "StatefulSet" is not Deployment' },
    {
      cfg: { ...applied(), spec: { replicass: 1 } },
      want: 'failed to create typed patch object (/nginx; apps/v1, Kind=Deployment): .spec.replicass: field not declared in schema',
    },
  ];
  for (const r of rows) {
    const e = conflictOf(() => fm.apply(live, r.cfg, 'kubectl', false));
    assert.equal(e.code, 400);
    assert.equal(e.message, r.want);
  }
});

test('kubectl may take over what it applied client-side, and keeps the annotation in step', () => {
  const fm = manager('apps', 'v1', 'Deployment');
  const last = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' }, spec: { replicas: 1 } };
  const live = deployment() as any;
  live.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: JSON.stringify(last) };
  fm.update(undefined, live, 'kubectl-client-side-apply');
  const cfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 2 } };
  const e = conflictOf(() => fm.apply(live, cfg, 'someone-else', false));
  assert.equal(e.code, 409);
  const out = fm.apply(live, cfg, 'kubectl', false) as any;
  assert.equal(out.spec.replicas, 2);
  assert.equal(out.metadata.annotations[LAST_APPLIED_ANNOTATION], '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},"spec":{"replicas":2}}\n');
  // A field changed since the last client-side apply is still a conflict.
  const drifted = structuredClone(live);
  drifted.spec.replicas = 7;
  fm.update(live, drifted, 'kubectl-client-side-apply');
  assert.equal(conflictOf(() => fm.apply(drifted, cfg, 'kubectl', false)).code, 409);
});

test('managedFields sent by a client replace the stored ones; [{}] clears them', () => {
  const fm = manager('', 'v1', 'ConfigMap');
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as any;
  fm.update(undefined, live, 'creator');
  const cleared = structuredClone(live);
  cleared.metadata.managedFields = [{}];
  fm.update(live, cleared, 'editor');
  assert.equal(cleared.metadata.managedFields, undefined);
  const rewritten = structuredClone(live);
  rewritten.metadata.managedFields = [{ manager: 'someone', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
  fm.update(live, rewritten, 'editor');
  assert.deepEqual(managers(rewritten), ['someone/Apply']);
});

test('more than ten updaters fold the oldest into ancient-changes', () => {
  let t = T0;
  const fm = manager('', 'v1', 'ConfigMap', '', () => t);
  let live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} as Record<string, string> } as any;
  fm.update(undefined, live, 'm0');
  for (let i = 1; i <= 11; i++) {
    t += 1000;
    const next = structuredClone(live);
    next.data[`k${i}`] = 'v';
    fm.update(live, next, `m${i}`);
    live = next;
  }
  const names = entries(live).map((e) => e.manager);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('m1') && !names.includes('m2'));
});
