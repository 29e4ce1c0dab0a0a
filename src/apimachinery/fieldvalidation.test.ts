/**
 * The bodies and expected answers are those of upstream's
 * test/integration/apiserver/field_validation_test.go (Deployments), so these cases
 * pin kubelite's texts and orders to kube-apiserver's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { decodeBody, checkTypeMeta } from './decode.js';
import { applyMergePatch, applyJSONPatch } from './patch.js';
import { applyStrategicMergePatch, definitionForKind, loadDefinitions, Lookup } from './strategicpatch.js';
import { strictDecodingWarnings, validateApplyPatchFields, validateBodyFields, validatePatchFields, type FieldValidationResult } from './fieldvalidation.js';
import type { FieldValidation } from './unknownfields.js';

const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };

const invalidBodyJSON = `
	{
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {
			"name": "dupename",
			"name": "web",
			"labels": {"app": "nginx"},
			"unknownMeta": "metaVal"
		},
		"spec": {
			"unknown1": "val1",
			"unknownDupe": "valDupe",
			"unknownDupe": "valDupe2",
			"paused": true,
			"paused": false,
			"selector": {
				"matchLabels": {
					"app": "nginx"
				}
			},
			"template": {
				"metadata": {
					"labels": {
						"app": "nginx"
					}
				},
				"spec": {
					"containers": [{
						"name":  "nginx",
						"image": "nginx:latest",
						"unknownNested": "val1",
						"imagePullPolicy": "Always",
						"imagePullPolicy": "Never"
					}]
				}
			}
		}
	}
		`;

const invalidBodyYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: dupename
  name: web
  unknownMeta: metaVal
  labels:
    app: nginx
spec:
  unknown1: val1
  unknownDupe: valDupe
  unknownDupe: valDupe2
  paused: true
  paused: false
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        unknownNested: val1
        imagePullPolicy: Always
        imagePullPolicy: Never`;

/** What the Go struct holds after decoding either invalid body. */
const decodedDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'nginx' } },
  spec: {
    paused: false,
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Never' }] } },
  },
};

const JSON_ERRORS = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];
const YAML_ERROR =
  'yaml: unmarshal errors:\n  line 5: key "name" already set in map\n  line 12: key "unknownDupe" already set in map\n  line 14: key "paused" already set in map\n  line 28: key "imagePullPolicy" already set in map';
const YAML_WARNINGS = [
  'line 5: key "name" already set in map',
  'line 12: key "unknownDupe" already set in map',
  'line 14: key "paused" already set in map',
  'line 28: key "imagePullPolicy" already set in map',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
];

const header = (text: string): string => `299 - ${JSON.stringify(text)}`;

function expectOutcome<T>(r: FieldValidationResult<T>, want: { code?: number; message?: string; warnings?: string[] }): void {
  if (want.code !== undefined) {
    assert.ok(isStatusError(r.error), 'an error');
    assert.equal(r.error.code, want.code);
    if (want.message !== undefined) assert.equal(r.error.message, want.message);
    assert.deepEqual(r.warnings, []);
  } else {
    assert.equal(r.error, undefined, r.error?.message);
    assert.deepEqual(r.warnings, (want.warnings ?? []).map(header));
  }
}

const bodyCases: { name: string; contentType: string; body: string; directive: FieldValidation; code?: number; message?: string; warnings?: string[] }[] = [
  {
    name: 'JSON, Strict',
    contentType: 'application/json',
    body: invalidBodyJSON,
    directive: 'Strict',
    code: 400,
    message: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${JSON_ERRORS.join(', ')}`,
  },
  { name: 'JSON, Warn', contentType: 'application/json', body: invalidBodyJSON, directive: 'Warn', warnings: JSON_ERRORS },
  { name: 'JSON, Ignore', contentType: 'application/json', body: invalidBodyJSON, directive: 'Ignore', warnings: [] },
  {
    name: 'YAML, Strict',
    contentType: 'application/yaml',
    body: invalidBodyYAML,
    directive: 'Strict',
    code: 400,
    message: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${YAML_ERROR}, ${YAML_WARNINGS.slice(4).join(', ')}`,
  },
  { name: 'YAML, Warn', contentType: 'application/yaml', body: invalidBodyYAML, directive: 'Warn', warnings: YAML_WARNINGS },
  { name: 'YAML, Ignore', contentType: 'application/yaml', body: invalidBodyYAML, directive: 'Ignore', warnings: [] },
  { name: 'a clean body, Strict', contentType: 'application/json', body: JSON.stringify(decodedDeployment), directive: 'Strict', warnings: [] },
];

for (const c of bodyCases) {
  test(`validateBodyFields: ${c.name}`, () => {
    const body = Buffer.from(c.body);
    const obj = checkTypeMeta(decodeBody(body, c.contentType, { kind: 'Deployment' }), DEPLOY);
    const r = validateBodyFields(c.directive, obj, body, c.contentType, DEPLOY);
    expectOutcome(r, c);
    // Whatever the directive, the object goes on as the Go struct holds it.
    assert.deepEqual(r.object, decodedDeployment);
  });
}

test('validateBodyFields: a kind without a schema is left as decoded', () => {
  const body = Buffer.from('{"apiVersion":"example.com/v1","kind":"Widget","spec":{"a":1,"a":2,"zz":3}}');
  const obj = JSON.parse(body.toString()) as Record<string, unknown>;
  const r = validateBodyFields('Strict', obj, body, 'application/json', { group: 'example.com', version: 'v1', kind: 'Widget' });
  assert.equal(r.error, undefined);
  assert.equal(r.object, obj);
});

const current = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'nginx' } },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Always' }] } },
    replicas: 2,
  },
};

const mergePatchBody = `
{
	"spec": {
		"unknown1": "val1",
		"unknownDupe": "valDupe",
		"unknownDupe": "valDupe2",
		"paused": true,
		"paused": false,
		"template": {
			"spec": {
				"containers": [{
					"name": "nginx",
					"image": "nginx:latest",
					"unknownNested": "val1",
					"imagePullPolicy": "Always",
					"imagePullPolicy": "Never"
				}]
			}
		}
	}
}`;
const nonconflictingMergePatchBody = `{"spec":{"paused":true,"paused":false,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:latest","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;
const jsonPatchBody = `
			[
				{"op": "add", "path": "/spec/unknown1", "value": "val1", "foo":"bar"},
				{"op": "add", "path": "/spec/unknown2", "path": "/spec/unknown3", "value": "val1"},
				{"op": "add", "path": "/spec/unknownDupe", "value": "valDupe"},
				{"op": "add", "path": "/spec/unknownDupe", "value": "valDupe2"},
				{"op": "add", "path": "/spec/paused", "value": true},
				{"op": "add", "path": "/spec/paused", "value": false},
				{"op": "add", "path": "/spec/template/spec/containers/0/unknownNested", "value": "val1"},
				{"op": "add", "path": "/spec/template/spec/containers/0/imagePullPolicy", "value": "Always"},
				{"op": "add", "path": "/spec/template/spec/containers/0/imagePullPolicy", "value": "Never"}
			]`;
const smpBody = `{"spec":{"unknown1":"val1","unknownDupe":"valDupe","unknownDupe":"valDupe2","paused":true,"paused":false,"selector":{"matchLabels":{"app":"nginx"}},"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","unknownNested":"val1","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;

const MERGE_ERRORS = [
  'duplicate field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
];
const JSON_PATCH_ERRORS = [
  'json patch unknown field "[0].foo"',
  'json patch duplicate field "[1].path"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknown3"',
  'unknown field "spec.unknownDupe"',
];

const patchedSpec = { ...current.spec, paused: false, template: { ...current.spec.template, spec: { containers: [{ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Never' }] } } };

function applyPatch(contentType: string, body: string): Record<string, unknown> {
  const cur = structuredClone(current);
  if (contentType === 'application/merge-patch+json') return applyMergePatch(cur, Buffer.from(body)) as Record<string, unknown>;
  if (contentType === 'application/json-patch+json') return applyJSONPatch(cur, Buffer.from(body));
  const defs = loadDefinitions();
  return applyStrategicMergePatch(cur, Buffer.from(body), Lookup.forDefinition(defs, definitionForKind(defs, 'apps', 'v1', 'Deployment')!)!);
}

const patchCases: { name: string; contentType: string; body: string; directive: FieldValidation; code?: number; message?: RegExp; warnings?: string[] }[] = [
  {
    name: 'merge patch, Strict: 422 on the patch, the patched object shown',
    contentType: 'application/merge-patch+json',
    body: mergePatchBody,
    directive: 'Strict',
    code: 422,
    message: /^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"apps\/v1\\",.*\\"unknown1\\":\\"val1\\".*\}": strict decoding error: duplicate field "spec\.unknownDupe", duplicate field "spec\.paused", duplicate field "spec\.template\.spec\.containers\[0\]\.imagePullPolicy", unknown field "spec\.template\.spec\.containers\[0\]\.unknownNested", unknown field "spec\.unknown1", unknown field "spec\.unknownDupe"$/,
  },
  { name: 'merge patch, Warn', contentType: 'application/merge-patch+json', body: mergePatchBody, directive: 'Warn', warnings: MERGE_ERRORS },
  { name: 'merge patch, Ignore', contentType: 'application/merge-patch+json', body: mergePatchBody, directive: 'Ignore', warnings: [] },
  {
    name: 'merge patch without unknown fields, Warn',
    contentType: 'application/merge-patch+json',
    body: nonconflictingMergePatchBody,
    directive: 'Warn',
    warnings: ['duplicate field "spec.paused"', 'duplicate field "spec.template.spec.containers[0].imagePullPolicy"'],
  },
  {
    name: 'JSON patch, Strict',
    contentType: 'application/json-patch+json',
    body: jsonPatchBody,
    directive: 'Strict',
    code: 422,
    message: new RegExp(`: strict decoding error: ${JSON_PATCH_ERRORS.join(', ').replace(/[[\].]/g, '\\$&')}$`),
  },
  { name: 'JSON patch, Warn', contentType: 'application/json-patch+json', body: jsonPatchBody, directive: 'Warn', warnings: JSON_PATCH_ERRORS },
  { name: 'JSON patch, Ignore', contentType: 'application/json-patch+json', body: jsonPatchBody, directive: 'Ignore', warnings: [] },
  {
    name: 'strategic merge patch, Strict: the patch map shown as Go prints it',
    contentType: 'application/strategic-merge-patch+json',
    body: smpBody,
    directive: 'Strict',
    code: 422,
    message: new RegExp(
      `^ "" is invalid: patch: Invalid value: "map\\[spec:map\\[paused:false selector:map\\[matchLabels:map\\[app:nginx\\]\\] template:map\\[metadata:map\\[labels:map\\[app:nginx\\]\\] spec:map\\[containers:\\[map\\[imagePullPolicy:Never name:nginx unknownNested:val1\\]\\]\\]\\] unknown1:val1 unknownDupe:valDupe2\\]\\]": strict decoding error: ${MERGE_ERRORS.join(', ').replace(/[[\].]/g, '\\$&')}$`,
    ),
  },
  { name: 'strategic merge patch, Warn', contentType: 'application/strategic-merge-patch+json', body: smpBody, directive: 'Warn', warnings: MERGE_ERRORS },
  { name: 'strategic merge patch, Ignore', contentType: 'application/strategic-merge-patch+json', body: smpBody, directive: 'Ignore', warnings: [] },
];

for (const c of patchCases) {
  test(`validatePatchFields: ${c.name}`, () => {
    const patched = applyPatch(c.contentType, c.body);
    const r = validatePatchFields(c.directive, c.contentType, Buffer.from(c.body), patched, DEPLOY);
    if (c.code !== undefined) {
      assert.ok(isStatusError(r.error));
      assert.equal(r.error.code, c.code);
      assert.equal(r.error.reason, 'Invalid');
      assert.match(r.error.message, c.message!);
      assert.deepEqual(r.error.details?.causes?.map((x) => x.field), ['patch']);
    } else {
      expectOutcome(r, { warnings: c.warnings ?? [] });
    }
    assert.deepEqual(r.object, { ...current, spec: patchedSpec }, 'the patched object, unknown fields dropped');
  });
}

test('validatePatchFields: the unstructured converter sorts by message and leaves map keys out of paths', () => {
  // A map of typed values (JSONSchemaProps.properties) holding an unknown field, patched into a CRD.
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'w.example.com' }, spec: {} };
  const gvk = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
  const patched = { ...crd, spec: { zz: 1, versions: [{ name: 'v1', schema: { openAPIV3Schema: { properties: { a: { typo: 1 } } } } }] } };
  const smp = validatePatchFields('Warn', 'application/strategic-merge-patch+json', Buffer.from('{}'), patched, gvk);
  assert.deepEqual(smp.warnings, ['unknown field "spec.versions[0].schema.openAPIV3Schema.properties.typo"', 'unknown field "spec.zz"'].map(header));
  const merge = validatePatchFields('Warn', 'application/merge-patch+json', Buffer.from('{}'), patched, gvk);
  assert.deepEqual(merge.warnings, ['unknown field "spec.versions[0].schema.openAPIV3Schema.properties.a.typo"', 'unknown field "spec.zz"'].map(header));
});

test('validatePatchFields: a body whose shape is wrong is left to the patch decoder', () => {
  const patched = structuredClone(current);
  for (const [ct, body] of [
    ['application/json-patch+json', '{"op":"add"}'],
    ['application/json-patch+json', '[1]'],
    ['application/merge-patch+json', '{bad'],
    ['application/strategic-merge-patch+json', '"s"'],
  ] as const) {
    const r = validatePatchFields('Strict', ct, Buffer.from(body), patched, DEPLOY);
    assert.equal(r.error, undefined, `${ct} ${body}`);
  }
});

test('validateApplyPatchFields: Strict is 400 with the YAML error, Warn one Warning per repeated key, Ignore nothing', () => {
  const body = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  paused: false\n  paused: true\n';
  const strict = validateApplyPatchFields('Strict', body);
  assert.ok(isStatusError(strict.error));
  assert.equal(strict.error.code, 400);
  assert.equal(strict.error.message, 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "paused" already set in map');
  assert.deepEqual(validateApplyPatchFields('Warn', body), { warnings: [header('line 7: key "paused" already set in map')] });
  assert.deepEqual(validateApplyPatchFields('Ignore', body), { warnings: [] });
  assert.deepEqual(validateApplyPatchFields('Strict', 'a: 1\n'), { warnings: [] });
});

test('strictDecodingWarnings splits YAML errors as handlers/rest.go parseYAMLWarnings', () => {
  assert.deepEqual(strictDecodingWarnings(['yaml: unmarshal errors:\n  line 2: a\n  line 3: b', 'unknown field "x"', 'error converting YAML to JSON: yaml: unmarshal errors:\n  line 9: c']), [
    'line 2: a',
    'line 3: b',
    'unknown field "x"',
    'line 9: c',
  ]);
});
