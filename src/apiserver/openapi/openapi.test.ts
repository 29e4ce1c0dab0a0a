import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo, SubresourceInfo, Verb } from '../../api/types.js';
import { RESOURCES } from '../../api/resources.js';
import { loadDefinitions } from '../../apimachinery/strategicpatch.js';
import { OpenAPIService, negotiate, toV3Definition } from './openapi.js';
import { groupTag } from './paths.js';

type Doc = Record<string, any>;

const CRUD: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function res(gv: string, kind: string, resource: string, namespaced: boolean, extra: { verbs?: Verb[]; subresources?: SubresourceInfo[] } = {}): ResourceInfo {
  const slash = gv.indexOf('/');
  return {
    group: slash < 0 ? '' : gv.slice(0, slash),
    version: slash < 0 ? gv : gv.slice(slash + 1),
    kind,
    resource,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    verbs: extra.verbs ?? CRUD,
    subresources: extra.subresources ?? [],
    listKind: `${kind}List`,
    storageResource: resource,
    nameValidation: 'dns1123-subdomain',
  };
}

const status = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });

/** A small table in the shape of src/api/resources.ts. */
const FIXTURE: ResourceInfo[] = [
  res('v1', 'Pod', 'pods', true, {
    subresources: [
      status('Pod'),
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'resize', kind: 'Pod', verbs: ['get', 'patch', 'update'], featureGate: 'InPlacePodVerticalScaling' },
    ],
  }),
  res('v1', 'Namespace', 'namespaces', false, { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [status('Namespace')] }),
  res('apps/v1', 'Deployment', 'deployments', true, {
    subresources: [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }, status('Deployment')],
  }),
  res('authentication.k8s.io/v1', 'TokenReview', 'tokenreviews', false, { verbs: ['create'] }),
];

const svc = new OpenAPIService({ resources: FIXTURE, version: 'v1.32.0' });
const parse = (b: Buffer | undefined): Doc => {
  assert.ok(b !== undefined);
  return JSON.parse(b.toString('utf8')) as Doc;
};
const apps = parse(svc.v3('apis/apps/v1'));
const core = parse(svc.v3('api/v1'));

/** kubectl's supportsQueryParamV3: the first PATCH operation of the GVK decides. */
function supportsFieldValidation(doc: Doc, gvk: { group: string; version: string; kind: string }): boolean {
  let found = false;
  for (const item of Object.values(doc.paths as Record<string, Doc>)) {
    const op = item.patch as Doc | undefined;
    const g = op?.['x-kubernetes-group-version-kind'];
    if (op === undefined || g?.group !== gvk.group || g?.version !== gvk.version || g?.kind !== gvk.kind) continue;
    found = true;
    if (!(op.parameters as Doc[] | undefined)?.some((p) => p.name === 'fieldValidation')) return false;
  }
  return found;
}

/** kubectl explain's plaintext template: GVK from the resource's operations, then the schema listing it. */
function explainSchema(doc: Doc, prefix: string, resource: string, namespaced: boolean): Doc | undefined {
  const paths = namespaced ? [`${prefix}/namespaces/{namespace}/${resource}`, `${prefix}/namespaces/{namespace}/${resource}/{name}`] : [`${prefix}/${resource}`, `${prefix}/${resource}/{name}`];
  let gvk: Doc | undefined;
  for (const p of paths) for (const m of ['get', 'post', 'put', 'patch', 'delete']) gvk ??= doc.paths[p]?.[m]?.['x-kubernetes-group-version-kind'];
  if (gvk === undefined) return undefined;
  return Object.values(doc.components.schemas as Record<string, Doc>).find((s) =>
    (s['x-kubernetes-group-version-kind'] as Doc[] | undefined)?.some((g) => JSON.stringify(g) === JSON.stringify(gvk)),
  );
}

function refsResolve(doc: Doc, prefix: string, table: Record<string, unknown>): string[] {
  const dangling: string[] = [];
  const visit = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (key === '$ref' && typeof v === 'string' && !(v.startsWith(prefix) && v.slice(prefix.length) in table)) dangling.push(v);
  };
  visit(doc);
  return dangling;
}

test('v3 apps/v1 has the deployments paths with a PATCH that takes fieldValidation', () => {
  const item = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.ok(item !== undefined);
  const patch = item.patch as Doc;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  const names = (patch.parameters as Doc[]).map((p) => `${p.in}:${p.name}`);
  for (const want of ['query:fieldValidation', 'query:dryRun', 'query:fieldManager', 'query:force']) assert.ok(names.includes(want), want);
  assert.ok('application/strategic-merge-patch+json' in patch.requestBody.content);
  assert.ok('application/apply-patch+yaml' in patch.requestBody.content);
  assert.ok(supportsFieldValidation(apps, { group: 'apps', version: 'v1', kind: 'Deployment' }));
  assert.ok(supportsFieldValidation(core, { group: '', version: 'v1', kind: 'Pod' }));
  assert.ok(supportsFieldValidation(core, { group: '', version: 'v1', kind: 'Namespace' }));
  assert.ok(!supportsFieldValidation(parse(svc.v3('apis/authentication.k8s.io/v1')), { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview' }));
});

test('v3 operations cover the verbs with upstream actions', () => {
  const coll = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  assert.equal(coll.get['x-kubernetes-action'], 'list');
  assert.equal(coll.get.operationId, 'listAppsV1NamespacedDeployment');
  assert.equal(coll.post['x-kubernetes-action'], 'post');
  assert.equal(coll.delete['x-kubernetes-action'], 'deletecollection');
  assert.ok((coll.post.parameters as Doc[]).some((p) => p.name === 'fieldValidation'));
  assert.equal(apps.paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
  assert.equal(apps.paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}'].get['x-kubernetes-action'], 'watch');
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.equal(scale.put.requestBody.content['*/*'].schema.$ref, '#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
  assert.equal(apps.paths['/apis/apps/v1/'].get.operationId, 'getAppsV1APIResources');
  // Cluster-scoped: no namespace segment, no ForAllNamespaces path.
  assert.ok(core.paths['/api/v1/namespaces/{name}'].patch !== undefined);
  assert.equal(core.paths['/api/v1/namespaces'].delete, undefined, 'namespaces have no deletecollection');
  // Text and connect subresources.
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get.responses['200'].content['*/*'].schema.type, 'string');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].post['x-kubernetes-action'], 'connect');
  assert.ok(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/resize'] !== undefined, 'gated subresources are on by default');
  const gated = new OpenAPIService({ resources: FIXTURE, featureGates: { InPlacePodVerticalScaling: false } });
  assert.equal(parse(gated.v3('api/v1')).paths['/api/v1/namespaces/{namespace}/pods/{name}/resize'], undefined);
});

test('v3 documents hold the schemas their paths reach, in OpenAPI 3 form', () => {
  const schemas = apps.components.schemas as Record<string, Doc>;
  const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
  assert.ok(deployment !== undefined);
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.match(deployment.description, /Deployment enables declarative updates/);
  // A ref with a description is wrapped in allOf, as upstream.
  assert.deepEqual(deployment.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
  assert.match(deployment.properties.spec.description, /desired behavior of the Deployment/);
  // Transitive: PodSpec via the template, ObjectMeta, Scale for the subresource.
  for (const n of ['io.k8s.api.core.v1.PodSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.api.autoscaling.v1.Scale']) assert.ok(n in schemas, n);
  // Nothing from other groups that is not referenced.
  assert.ok(!('io.k8s.api.batch.v1.Job' in schemas));
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']?.oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.deepEqual(refsResolve(apps, '#/components/schemas/', schemas), []);
  assert.deepEqual(refsResolve(core, '#/components/schemas/', core.components.schemas), []);
  // DeleteOptions lists every served group-version.
  const gvks = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']?.['x-kubernetes-group-version-kind'] as Doc[];
  assert.ok(gvks.some((g) => g.group === 'apps' && g.version === 'v1' && g.kind === 'DeleteOptions'));
});

test('explain finds the schema through the operations GVK', () => {
  assert.match(explainSchema(apps, '/apis/apps/v1', 'deployments', true)?.description ?? '', /^Deployment enables/);
  assert.match(explainSchema(core, '/api/v1', 'namespaces', false)?.description ?? '', /^Namespace provides a scope/);
});

test('the index lists every group-version with its document hash', () => {
  const index = parse(svc.v3Index());
  assert.deepEqual(Object.keys(index.paths), ['api/v1', 'apis/apps/v1', 'apis/authentication.k8s.io/v1']);
  for (const gv of Object.keys(index.paths)) {
    assert.equal(index.paths[gv].serverRelativeURL, `/openapi/v3/${gv}?hash=${svc.v3Document(gv)?.etag}`);
  }
  assert.equal(svc.v3('apis/batch/v1'), undefined);
  assert.deepEqual(svc.v3('/apis/apps/v1/'), svc.v3('apis/apps/v1'));
});

test('v2 has every path and definition reachable from them', () => {
  const v2 = parse(svc.v2());
  assert.equal(v2.swagger, '2.0');
  const patch = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.ok((patch.parameters as Doc[]).some((p) => p.name === 'fieldValidation' && p.in === 'query' && p.type === 'string'));
  assert.ok((patch.consumes as string[]).includes('application/strategic-merge-patch+json'));
  assert.deepEqual(v2.paths['/api/v1/namespaces/{namespace}/pods'].post.parameters[0], {
    in: 'body',
    name: 'body',
    required: true,
    schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' },
  });
  assert.deepEqual(refsResolve(v2, '#/definitions/', v2.definitions), []);
  assert.equal(v2.definitions['io.k8s.api.apps.v1.Deployment'].properties.spec.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
  const noSMP = parse(new OpenAPIService({ resources: FIXTURE, strategicMergePatch: false }).v2());
  assert.ok(!noSMP.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.consumes.includes('application/strategic-merge-patch+json'));
});

test('enums reach v2 and v3, defaults only v3, as upstream publishes them', () => {
  const v2 = parse(svc.v2());
  const v3Schemas = core.components.schemas as Record<string, Doc>;
  const cases: { name: string; def: string; prop: string; enum?: string[]; v3Default?: unknown }[] = [
    { name: 'restartPolicy', def: 'io.k8s.api.core.v1.PodSpec', prop: 'restartPolicy', enum: ['Always', 'Never', 'OnFailure'] },
    { name: 'protocol', def: 'io.k8s.api.core.v1.ContainerPort', prop: 'protocol', enum: ['SCTP', 'TCP', 'UDP'], v3Default: 'TCP' },
    { name: 'list-map key', def: 'io.k8s.api.core.v1.ContainerPort', prop: 'containerPort', v3Default: 0 },
  ];
  for (const c of cases) {
    const p2 = v2.definitions[c.def].properties[c.prop] as Doc;
    const p3 = v3Schemas[c.def]?.properties[c.prop] as Doc;
    assert.deepEqual(p2.enum, c.enum, `${c.name}: v2 enum`);
    assert.deepEqual(p3.enum, c.enum, `${c.name}: v3 enum`);
    assert.equal(p2.default, undefined, `${c.name}: v2 has no default`);
    assert.deepEqual(p3.default, c.v3Default, `${c.name}: v3 default`);
  }
  // The nested schemas of v2 lose their defaults too, and a property named `default` stays.
  const crd = parse(new OpenAPIService({ resources: RESOURCES }).v2()).definitions as Doc;
  assert.ok('default' in crd['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'].properties);
  assert.equal(crd['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule'].properties.rule.default, undefined);
});

test('the service reads the definitions through apimachinery and leaves them as it found them', () => {
  const shared = loadDefinitions() as Record<string, Doc>;
  const before = JSON.stringify(shared['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']);
  const fresh = new OpenAPIService({ resources: RESOURCES });
  fresh.warm();
  const v2 = parse(fresh.v2());
  assert.ok((v2.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'] as Doc[]).length > 10);
  assert.equal(JSON.stringify(shared['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']), before);
  assert.equal(shared['io.k8s.api.core.v1.ContainerPort']?.properties.protocol.default, 'TCP');
  assert.ok(!Object.keys(shared).some((n) => n.startsWith('io.k8s.kubelite.unpublished.')));
  assert.throws(() => new OpenAPIService({ resources: FIXTURE, definitionsPath: '/nonexistent/definitions.json' }).v2(), /cannot read \/nonexistent\/definitions\.json \(run `npm run build`/);
});

test('documents are deterministic', () => {
  const other = new OpenAPIService({ resources: FIXTURE, version: 'v1.32.0' });
  assert.ok(other.v2().equals(svc.v2()));
  assert.ok(other.v3Index().equals(svc.v3Index()));
  assert.equal(other.v2Document().etag, svc.v2Document().etag);
  assert.match(svc.v2Document().etag, /^[0-9A-F]{128}$/);
});

test('serve negotiates, caches and redirects as upstream', () => {
  const v2etag = svc.v2Document().etag;
  const appsDoc = svc.v3Document('apis/apps/v1');
  assert.ok(appsDoc !== undefined);
  const cases: { name: string; req: Parameters<OpenAPIService['serve']>[0]; status: number; type?: string; headers?: Record<string, string> }[] = [
    { name: 'v2 json by default', req: { path: '/openapi/v2' }, status: 200, type: 'application/json' },
    { name: 'v2 json', req: { path: '/openapi/v2', accept: 'application/json, */*' }, status: 200, type: 'application/json' },
    {
      name: 'v2 protobuf (client-go)',
      req: { path: '/openapi/v2', accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
      status: 200,
      type: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    },
    { name: 'v2 protobuf by q', req: { path: '/openapi/v2', accept: 'application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf' }, status: 200, type: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' },
    { name: 'v2 not acceptable', req: { path: '/openapi/v2', accept: 'text/html' }, status: 406 },
    { name: 'v2 not modified', req: { path: '/openapi/v2', ifNoneMatch: `"${v2etag}"` }, status: 304, headers: { ETag: `"${v2etag}"` } },
    { name: 'index', req: { path: '/openapi/v3', accept: 'application/json, */*' }, status: 200, type: 'application/json' },
    { name: 'gv without hash', req: { path: '/openapi/v3/apis/apps/v1', accept: 'application/json' }, status: 200, type: 'application/json' },
    {
      name: 'gv with current hash is immutable',
      req: { path: '/openapi/v3/apis/apps/v1', query: `?hash=${appsDoc.etag}&timeout=32s`, accept: 'application/json' },
      status: 200,
      headers: { 'Cache-Control': 'public, immutable', ETag: `"${appsDoc.etag}"`, Vary: 'Accept' },
    },
    {
      name: 'gv with stale hash redirects',
      req: { path: '/openapi/v3/apis/apps/v1', query: 'hash=ABC', accept: 'application/json' },
      status: 301,
      headers: { Location: `/openapi/v3/apis/apps/v1?hash=${appsDoc.etag}` },
    },
    { name: 'gv protobuf only', req: { path: '/openapi/v3/apis/apps/v1', accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' }, status: 406 },
    { name: 'gv not served', req: { path: '/openapi/v3/apis/batch/v1' }, status: 404 },
    { name: 'gv not modified', req: { path: '/openapi/v3/apis/apps/v1', ifNoneMatch: `W/"x", "${appsDoc.etag}"` }, status: 304 },
  ];
  for (const c of cases) {
    const got = svc.serve(c.req);
    assert.ok(got !== undefined, c.name);
    assert.equal(got.status, c.status, c.name);
    if (c.type !== undefined) assert.equal(got.headers['Content-Type'], c.type, c.name);
    for (const [k, v] of Object.entries(c.headers ?? {})) assert.equal(got.headers[k], v, `${c.name}: ${k}`);
  }
  assert.equal(svc.serve({ path: '/api/v1' }), undefined);
  assert.ok(svc.serve({ path: '/openapi/v3/apis/apps/v1', accept: 'application/json' })?.body.equals(appsDoc.body));
});

test('negotiate follows the Accept preference order', () => {
  const cases = [
    { name: 'empty is any', accept: undefined, want: 'json' },
    { name: 'star', accept: '*/*', want: 'json' },
    { name: 'application star', accept: 'application/*', want: 'json' },
    { name: 'specific beats star', accept: '*/*, application/pb', want: 'pb' },
    { name: 'q=0 excluded', accept: 'application/json;q=0, application/pb', want: 'pb' },
    { name: 'nothing', accept: 'text/plain', want: undefined },
  ];
  for (const c of cases) assert.equal(negotiate(c.accept, ['json', 'pb']), c.want, c.name);
});

test('toV3Definition leaves plain schemas and wraps refs with siblings', () => {
  assert.deepEqual(toV3Definition('x', { type: 'array', items: { $ref: '#/definitions/a.B' } }), { type: 'array', items: { $ref: '#/components/schemas/a.B' } });
  assert.deepEqual(toV3Definition('x', { properties: { $ref: { type: 'string' } } }), { properties: { $ref: { type: 'string' } } });
  assert.deepEqual(toV3Definition('x', { $ref: '#/definitions/a.B', description: 'd' }), { description: 'd', allOf: [{ $ref: '#/components/schemas/a.B' }] });
});

test('groupTag names groups as upstream tags', () => {
  assert.equal(groupTag(''), 'core');
  assert.equal(groupTag('apps'), 'apps');
  assert.equal(groupTag('rbac.authorization.k8s.io'), 'rbacAuthorization');
  assert.equal(groupTag('flowcontrol.apiserver.k8s.io'), 'flowcontrolApiserver');
});

test('every built-in resource has its schema and is validated server-side', () => {
  const all = new OpenAPIService({ resources: RESOURCES });
  const index = parse(all.v3Index());
  const gvs = new Set(RESOURCES.map((r) => (r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`)));
  assert.deepEqual(Object.keys(index.paths).sort(), [...gvs].sort());
  assert.deepEqual(all.stats().missingKinds, []);
  for (const r of RESOURCES) {
    const gv = r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
    const doc = parse(all.v3(gv));
    const prefix = `/${gv}`;
    assert.ok(explainSchema(doc, prefix, r.resource, r.namespaced) !== undefined, `explain ${gv} ${r.resource}`);
    if (r.verbs.includes('patch')) assert.ok(supportsFieldValidation(doc, r), `fieldValidation ${gv} ${r.kind}`);
    assert.deepEqual(refsResolve(doc, '#/components/schemas/', doc.components.schemas), [], gv);
  }
});

test('served documents carry the fields 1.31 and 1.32 added, and no kind that is not served', () => {
  const all = new OpenAPIService({ resources: RESOURCES });
  const v1 = parse(all.v3('api/v1')).components.schemas as Record<string, Doc>;
  assert.deepEqual(v1['io.k8s.api.core.v1.PodSpec']?.properties.resources.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ResourceRequirements' }]);
  for (const n of ['io.k8s.api.core.v1.ImageVolumeSource', 'io.k8s.api.core.v1.ResourceStatus', 'io.k8s.api.core.v1.ResourceHealth', 'io.k8s.api.core.v1.NodeFeatures']) {
    assert.ok(n in v1, n);
  }
  assert.deepEqual(v1['io.k8s.api.core.v1.ResourceHealth']?.properties.resourceID.default, '');
  const v2 = parse(all.v2()).definitions as Record<string, Doc>;
  assert.deepEqual(v2['io.k8s.api.core.v1.PodSecurityContext']?.properties.supplementalGroupsPolicy.enum, ['Merge', 'Strict']);
  assert.equal(v2['io.k8s.api.core.v1.PodResourceClaim']?.properties.source, undefined);
  const newKinds = Object.keys(v2).filter((n) => /\.(resource\.v1alpha3|resource\.v1beta1|coordination\.v1alpha2|networking\.v1beta1)\./.test(n));
  assert.deepEqual(newKinds, [], 'kinds kubelite does not serve stay out of the documents');
});
