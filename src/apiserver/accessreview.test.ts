/**
 * The authorization.k8s.io reviews answered by the server's authorizer: what
 * `kubectl auth can-i` (and --list) sends, and the validation upstream applies.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testharness.js';
import type { Authorizer } from './authz/authorizer.js';

/** Allows reading pods only, so reviews have both answers to give. */
const readPodsOnly: Authorizer = {
  authorize: (_user, req) =>
    req.isResourceRequest && req.resource === 'pods' && (req.verb === 'get' || req.verb === 'list') ? { allowed: true } : req.resource === 'selfsubjectaccessreviews' || req.resource === 'subjectaccessreviews' || req.resource === 'localsubjectaccessreviews' || req.resource === 'selfsubjectrulesreviews' ? { allowed: true } : { allowed: false, reason: '' },
};

let ts: TestServer;
let open: TestServer;
before(async () => {
  ts = await startTestServer({ server: { authorizer: readPodsOnly } });
  open = await startTestServer();
});
after(async () => {
  await ts?.close();
  await open?.close();
});

const AZ = '/apis/authorization.k8s.io/v1';
const ssar = (attrs: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: attrs });

test('SelfSubjectAccessReview answers with the authorizer decision and echoes the spec', async () => {
  const rows = [
    { attrs: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } }, allowed: true },
    { attrs: { resourceAttributes: { verb: 'delete', resource: 'pods', namespace: 'default' } }, allowed: false },
    { attrs: { resourceAttributes: { verb: 'list', group: 'apps', resource: 'deployments' } }, allowed: false },
    { attrs: { nonResourceAttributes: { verb: 'get', path: '/healthz' } }, allowed: false },
  ];
  for (const row of rows) {
    const r = await ts.post(`${AZ}/selfsubjectaccessreviews`, ssar(row.attrs));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(r.json.spec, row.attrs);
    assert.equal(r.json.status.allowed, row.allowed, JSON.stringify(row.attrs));
  }
});

test('reviews are validated as upstream', async () => {
  const both = await ts.post(`${AZ}/selfsubjectaccessreviews`, ssar({ resourceAttributes: { verb: 'get' }, nonResourceAttributes: { verb: 'get', path: '/' } }));
  assert.equal(both.status, 422);
  assert.match(both.json.message, /spec\.nonResourceAttributes: Invalid value: .*cannot be specified in combination with resourceAttributes/);
  const none = await ts.post(`${AZ}/selfsubjectaccessreviews`, ssar({}));
  assert.equal(none.status, 422);
  assert.match(none.json.message, /exactly one of nonResourceAttributes or resourceAttributes must be specified/);
  const noUser = await ts.post(`${AZ}/subjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
  assert.equal(noUser.status, 422);
  assert.match(noUser.json.message, /spec\.user: Invalid value: "": at least one of user or group must be specified/);
  const wrongNs = await ts.post(`${AZ}/namespaces/default/localsubjectaccessreviews`, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'LocalSubjectAccessReview',
    spec: { user: 'u', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'other' } },
  });
  assert.equal(wrongNs.status, 400);
  assert.equal(wrongNs.json.message, 'spec.resourceAttributes.namespace must match metadata.namespace: "default"');
});

test('SubjectAccessReview asks about another user', async () => {
  const r = await ts.post(`${AZ}/subjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'jane', groups: ['dev'], resourceAttributes: { verb: 'list', resource: 'pods' } } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status.allowed, true);
});

test('SelfSubjectRulesReview lists everything under the allow-authenticated authorizer', async () => {
  const r = await open.post(`${AZ}/selfsubjectrulesreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.status, {
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  });
  const bad = await open.post(`${AZ}/selfsubjectrulesreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
  assert.equal(bad.status, 422);
});
