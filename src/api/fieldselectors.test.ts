import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultFieldGetter,
  fieldGetter,
  fieldLabelNotSupportedMessage,
  isSupportedField,
  supportedFields,
  unknownFieldSelectorMessage,
  unsupportedFieldError,
  unsupportedFieldMessage,
} from './fieldselectors.js';
import { RESOURCES } from './resources.js';

void test('supported labels per resource (upstream conversion funcs, 1.32)', () => {
  const meta = ['metadata.name', 'metadata.namespace'];
  const cases = [
    {
      name: 'pods',
      gr: ['', 'pods'],
      want: [
        ...meta,
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.podIPs',
        'status.nominatedNodeName',
        'spec.host',
      ],
    },
    { name: 'nodes', gr: ['', 'nodes'], want: ['metadata.name', 'spec.unschedulable'] },
    { name: 'namespaces', gr: ['', 'namespaces'], want: ['status.phase', 'metadata.name'] },
    { name: 'replicationcontrollers', gr: ['', 'replicationcontrollers'], want: [...meta, 'status.replicas'] },
    { name: 'secrets', gr: ['', 'secrets'], want: ['type', 'metadata.namespace', 'metadata.name'] },
    { name: 'services', gr: ['', 'services'], want: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'] },
    {
      name: 'core events',
      gr: ['', 'events'],
      want: [
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reason',
        'reportingComponent',
        'source',
        'type',
        'metadata.namespace',
        'metadata.name',
      ],
    },
    {
      name: 'events.k8s.io events',
      gr: ['events.k8s.io', 'events'],
      want: [
        'regarding.kind',
        'regarding.namespace',
        'regarding.name',
        'regarding.uid',
        'regarding.apiVersion',
        'regarding.resourceVersion',
        'regarding.fieldPath',
        'reason',
        'reportingController',
        'source',
        'type',
        'metadata.namespace',
        'metadata.name',
      ],
    },
    { name: 'jobs', gr: ['batch', 'jobs'], want: [...meta, 'status.successful'] },
    { name: 'csr', gr: ['certificates.k8s.io', 'certificatesigningrequests'], want: ['metadata.name', 'spec.signerName'] },
    { name: 'replicasets (apps/v1 registers no conversion)', gr: ['apps', 'replicasets'], want: meta },
    { name: 'deployments', gr: ['apps', 'deployments'], want: meta },
    { name: 'configmaps', gr: ['', 'configmaps'], want: meta },
    { name: 'cluster-scoped default still accepts namespace', gr: ['rbac.authorization.k8s.io', 'clusterroles'], want: meta },
    { name: 'not built in', gr: ['example.com', 'widgets'], want: undefined },
  ] as const;
  for (const c of cases) assert.deepEqual(supportedFields(c.gr[0], c.gr[1]), c.want, c.name);
});

void test('isSupportedField', () => {
  const cases = [
    { name: 'pod nodeName', args: ['', 'pods', 'spec.nodeName'], want: true },
    { name: 'pod legacy spec.host', args: ['', 'pods', 'spec.host'], want: true },
    { name: 'pod unknown', args: ['', 'pods', 'spec.containers'], want: false },
    { name: 'node namespace rejected', args: ['', 'nodes', 'metadata.namespace'], want: false },
    { name: 'namespace namespace rejected', args: ['', 'namespaces', 'metadata.namespace'], want: false },
    { name: 'csr namespace rejected', args: ['certificates.k8s.io', 'certificatesigningrequests', 'metadata.namespace'], want: false },
    { name: 'rs status.replicas rejected', args: ['apps', 'replicasets', 'status.replicas'], want: false },
    { name: 'rc status.replicas', args: ['', 'replicationcontrollers', 'status.replicas'], want: true },
    { name: 'core event involvedObject', args: ['', 'events', 'involvedObject.name'], want: true },
    { name: 'new event rejects involvedObject', args: ['events.k8s.io', 'events', 'involvedObject.name'], want: false },
    { name: 'new event regarding', args: ['events.k8s.io', 'events', 'regarding.name'], want: true },
    { name: 'core event rejects regarding', args: ['', 'events', 'regarding.name'], want: false },
    { name: 'service type', args: ['', 'services', 'spec.type'], want: true },
    { name: 'job successful', args: ['batch', 'jobs', 'status.successful'], want: true },
    { name: 'prototype keys are not labels', args: ['', 'pods', 'constructor'], want: false },
    { name: 'unknown resource', args: ['example.com', 'widgets', 'metadata.name'], want: false },
  ] as const;
  for (const c of cases) assert.equal(isSupportedField(c.args[0], c.args[1], c.args[2]), c.want, c.name);
});

void test('every built-in resource has a getter with metadata.name', () => {
  for (const r of RESOURCES) {
    const get = fieldGetter(r.group, r.resource);
    assert.ok(get, r.resource);
    assert.equal(get({ metadata: { name: 'x' } }, 'metadata.name'), 'x', r.resource);
  }
  assert.equal(fieldGetter('example.com', 'widgets'), undefined);
});

const pod = {
  metadata: { name: 'web-1', namespace: 'prod' },
  spec: {
    nodeName: 'node-a',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    serviceAccountName: 'builder',
    hostNetwork: true,
  },
  status: {
    phase: 'Running',
    podIP: '10.0.0.7',
    podIPs: [{ ip: '10.0.0.7' }, { ip: 'fd00::7' }],
    nominatedNodeName: 'node-b',
  },
};

void test('pod field values', () => {
  const get = fieldGetter('', 'pods');
  assert.ok(get);
  const cases = [
    { name: 'name', obj: pod, field: 'metadata.name', want: 'web-1' },
    { name: 'namespace', obj: pod, field: 'metadata.namespace', want: 'prod' },
    { name: 'nodeName', obj: pod, field: 'spec.nodeName', want: 'node-a' },
    { name: 'spec.host reads nodeName', obj: pod, field: 'spec.host', want: 'node-a' },
    { name: 'restartPolicy', obj: pod, field: 'spec.restartPolicy', want: 'Always' },
    { name: 'schedulerName', obj: pod, field: 'spec.schedulerName', want: 'default-scheduler' },
    { name: 'serviceAccountName', obj: pod, field: 'spec.serviceAccountName', want: 'builder' },
    { name: 'deprecated serviceAccount', obj: { spec: { serviceAccount: 'old' } }, field: 'spec.serviceAccountName', want: 'old' },
    { name: 'hostNetwork', obj: pod, field: 'spec.hostNetwork', want: 'true' },
    { name: 'hostNetwork default', obj: {}, field: 'spec.hostNetwork', want: 'false' },
    { name: 'phase', obj: pod, field: 'status.phase', want: 'Running' },
    { name: 'podIP is the first of podIPs', obj: pod, field: 'status.podIP', want: '10.0.0.7' },
    { name: 'podIP without podIPs', obj: { status: { podIP: '10.1.1.1' } }, field: 'status.podIP', want: '10.1.1.1' },
    { name: 'podIPs accepted but never filled', obj: pod, field: 'status.podIPs', want: '' },
    { name: 'nominatedNodeName', obj: pod, field: 'status.nominatedNodeName', want: 'node-b' },
    { name: 'unscheduled', obj: { metadata: { name: 'p' } }, field: 'spec.nodeName', want: '' },
    { name: 'unsupported', obj: pod, field: 'spec.containers', want: undefined },
    { name: 'not an object', obj: null, field: 'metadata.name', want: '' },
  ];
  for (const c of cases) assert.equal(get(c.obj, c.field), c.want, c.name);
});

void test('other kinds', () => {
  const cases = [
    { name: 'node unschedulable', gr: ['', 'nodes'], obj: { spec: { unschedulable: true } }, field: 'spec.unschedulable', want: 'true' },
    { name: 'node schedulable by default', gr: ['', 'nodes'], obj: { spec: {} }, field: 'spec.unschedulable', want: 'false' },
    { name: 'namespace phase', gr: ['', 'namespaces'], obj: { status: { phase: 'Terminating' } }, field: 'status.phase', want: 'Terminating' },
    { name: 'rc replicas', gr: ['', 'replicationcontrollers'], obj: { status: { replicas: 3 } }, field: 'status.replicas', want: '3' },
    { name: 'rc replicas default', gr: ['', 'replicationcontrollers'], obj: {}, field: 'status.replicas', want: '0' },
    { name: 'secret type', gr: ['', 'secrets'], obj: { type: 'kubernetes.io/tls' }, field: 'type', want: 'kubernetes.io/tls' },
    { name: 'service clusterIP', gr: ['', 'services'], obj: { spec: { clusterIP: 'None' } }, field: 'spec.clusterIP', want: 'None' },
    { name: 'service type', gr: ['', 'services'], obj: { spec: { type: 'NodePort' } }, field: 'spec.type', want: 'NodePort' },
    { name: 'job successful', gr: ['batch', 'jobs'], obj: { status: { succeeded: 2 } }, field: 'status.successful', want: '2' },
    { name: 'job successful default', gr: ['batch', 'jobs'], obj: { status: {} }, field: 'status.successful', want: '0' },
    {
      name: 'csr signer',
      gr: ['certificates.k8s.io', 'certificatesigningrequests'],
      obj: { spec: { signerName: 'kubernetes.io/kube-apiserver-client' } },
      field: 'spec.signerName',
      want: 'kubernetes.io/kube-apiserver-client',
    },
    { name: 'cluster-scoped namespace is empty', gr: ['rbac.authorization.k8s.io', 'clusterroles'], obj: { metadata: { name: 'admin' } }, field: 'metadata.namespace', want: '' },
    { name: 'deployment default', gr: ['apps', 'deployments'], obj: { metadata: { namespace: 'd' } }, field: 'metadata.namespace', want: 'd' },
  ] as const;
  for (const c of cases) assert.equal(fieldGetter(c.gr[0], c.gr[1])?.(c.obj, c.field), c.want, c.name);
});

const coreEvent = {
  metadata: { name: 'web-1.17f', namespace: 'prod' },
  involvedObject: {
    kind: 'Pod',
    namespace: 'prod',
    name: 'web-1',
    uid: 'u-1',
    apiVersion: 'v1',
    resourceVersion: '42',
    fieldPath: 'spec.containers{app}',
  },
  reason: 'Pulled',
  type: 'Normal',
  source: { component: 'kubelet', host: 'node-a' },
  reportingComponent: 'kubelet',
};

const newEvent = {
  metadata: { name: 'web-1.17f', namespace: 'prod' },
  regarding: { kind: 'Pod', namespace: 'prod', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42', fieldPath: '' },
  reason: 'Scheduled',
  type: 'Normal',
  reportingController: 'default-scheduler',
  reportingInstance: 'default-scheduler-node-a',
};

void test('event field values in both groups and both wire shapes', () => {
  const core = fieldGetter('', 'events');
  const events = fieldGetter('events.k8s.io', 'events');
  assert.ok(core && events);
  const cases = [
    { name: 'core kind', get: core, obj: coreEvent, field: 'involvedObject.kind', want: 'Pod' },
    { name: 'core uid', get: core, obj: coreEvent, field: 'involvedObject.uid', want: 'u-1' },
    { name: 'core fieldPath', get: core, obj: coreEvent, field: 'involvedObject.fieldPath', want: 'spec.containers{app}' },
    { name: 'core reason', get: core, obj: coreEvent, field: 'reason', want: 'Pulled' },
    { name: 'core source', get: core, obj: coreEvent, field: 'source', want: 'kubelet' },
    { name: 'core reportingComponent', get: core, obj: coreEvent, field: 'reportingComponent', want: 'kubelet' },
    { name: 'core type', get: core, obj: coreEvent, field: 'type', want: 'Normal' },
    { name: 'core label on new-shape object', get: core, obj: newEvent, field: 'involvedObject.name', want: 'web-1' },
    { name: 'source falls back to reporting controller', get: core, obj: newEvent, field: 'source', want: 'default-scheduler' },
    { name: 'reportingComponent from new shape', get: core, obj: newEvent, field: 'reportingComponent', want: 'default-scheduler' },
    { name: 'new regarding.name', get: events, obj: newEvent, field: 'regarding.name', want: 'web-1' },
    { name: 'new reportingController', get: events, obj: newEvent, field: 'reportingController', want: 'default-scheduler' },
    { name: 'new label on core-shape object', get: events, obj: coreEvent, field: 'regarding.resourceVersion', want: '42' },
    { name: 'new source from core shape', get: events, obj: coreEvent, field: 'source', want: 'kubelet' },
    {
      name: 'new source from deprecatedSource',
      get: events,
      obj: { deprecatedSource: { component: 'old' }, reportingController: 'x' },
      field: 'source',
      want: 'old',
    },
    { name: 'new rejects involvedObject', get: events, obj: coreEvent, field: 'involvedObject.name', want: undefined },
  ];
  for (const c of cases) assert.equal(c.get(c.obj, c.field), c.want, c.name);
});

void test('defaultFieldGetter', () => {
  const obj = { metadata: { name: 'w', namespace: 'n' }, spec: { size: 3 } };
  const cases = [
    { name: 'name', field: 'metadata.name', want: 'w' },
    { name: 'namespace', field: 'metadata.namespace', want: 'n' },
    { name: 'other', field: 'spec.size', want: undefined },
  ];
  for (const c of cases) assert.equal(defaultFieldGetter(obj, c.field), c.want, c.name);
});

void test('unsupported field messages are upstream text', () => {
  const cases = [
    { name: 'pods', args: ['', 'pods', 'spec.foo'], want: 'field label not supported: spec.foo' },
    { name: 'nodes namespace', args: ['', 'nodes', 'metadata.namespace'], want: 'field label not supported: metadata.namespace' },
    { name: 'new events', args: ['events.k8s.io', 'events', 'involvedObject.name'], want: 'field label not supported: involvedObject.name' },
    { name: 'csr', args: ['certificates.k8s.io', 'certificatesigningrequests', 'status.x'], want: 'field label not supported: status.x' },
    {
      name: 'default (ingresses, from the upstream docs)',
      args: ['networking.k8s.io', 'ingresses', 'foo.bar'],
      want: '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
    {
      name: 'replicasets status.replicas (kubernetes#135136)',
      args: ['apps', 'replicasets', 'status.replicas'],
      want: '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
    { name: 'jobs', args: ['batch', 'jobs', 'status.active'], want: 'field label "status.active" not supported for Job' },
    { name: 'go quoting', args: ['apps', 'deployments', 'a"b\\c\n'], want: '"a\\"b\\\\c\\n" is not a known field selector: only "metadata.name", "metadata.namespace"' },
    { name: 'unknown resource uses the default', args: ['example.com', 'widgets', 'spec.x'], want: '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"' },
  ] as const;
  for (const c of cases) assert.equal(unsupportedFieldMessage(c.args[0], c.args[1], c.args[2]), c.want, c.name);
  assert.equal(fieldLabelNotSupportedMessage('x.y'), 'field label not supported: x.y');
  assert.equal(unknownFieldSelectorMessage('x'), '"x" is not a known field selector: only "metadata.name", "metadata.namespace"');
});

void test('unsupportedFieldError is a 400 BadRequest Status', () => {
  const err = unsupportedFieldError('', 'pods', 'spec.foo');
  assert.equal(err.code, 400);
  assert.equal(err.reason, 'BadRequest');
  assert.deepEqual(err.toStatus(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'field label not supported: spec.foo',
    reason: 'BadRequest',
    code: 400,
  });
});
