/**
 * A corpus of bad requests against a running in-process API server. Every row must be
 * answered with a metav1.Status carrying upstream's code and reason and a message that
 * says what was wrong; nothing may be written (the store's revision, read through a
 * list's resourceVersion, is unchanged); and the server must still be ready afterwards.
 *
 * The expected answers are kube-apiserver's (handlers/create.go, update.go, patch.go,
 * delete.go, rest.go checkName, storage ValidateListOptions/DecodeContinue, the
 * options validation in meta/v1/validation, the NamespaceLifecycle admission plugin,
 * go-restful's 405 through serviceErrorHandler), not whatever kubelite happened to say.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, pod, type TestServer } from './testharness.js';

interface Row {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  anonymous?: boolean;
  wantCode: number;
  wantReason: string;
  wantMessage: RegExp;
}

const CM = '/api/v1/namespaces/default/configmaps';
const cmBody = (meta: Record<string, unknown>): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: 'b' } });
const YAML = { 'content-type': 'application/yaml' };
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

const rows: Row[] = [
  // --- bodies that do not decode
  {
    name: 'malformed JSON',
    method: 'POST',
    path: CM,
    body: '{bad json}',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: invalid character 'b' looking for beginning of object key string \(\{bad json\}\)$/,
  },
  {
    name: 'truncated JSON',
    method: 'POST',
    path: CM,
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /must be of type ConfigMap\): couldn't get version\/kind; json parse error: unexpected end of JSON input \(\{"apiVersion":"v1","kind":"Con \.\.\.\)$/,
  },
  { name: 'empty body', method: 'POST', path: CM, body: '', wantCode: 400, wantReason: 'BadRequest', wantMessage: /unexpected end of JSON input \(<empty>\)$/ },
  {
    name: 'JSON array body',
    method: 'POST',
    path: CM,
    body: '[1,2]',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /must be of type ConfigMap\): couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct/,
  },
  {
    name: 'JSON scalar body',
    method: 'POST',
    path: CM,
    body: '"just a string"',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /json: cannot unmarshal string into Go value of type struct/,
  },
  {
    name: 'malformed YAML',
    method: 'POST',
    path: CM,
    headers: YAML,
    body: 'metadata:\n  name: a\n   bad: [\n',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: /,
  },
  {
    name: 'multi-document YAML',
    method: 'POST',
    path: CM,
    headers: YAML,
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /error converting YAML to JSON: yaml: multiple documents/,
  },
  {
    name: 'body over 3 MiB',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'huge' }).replace('"b"', JSON.stringify('x'.repeat(3 * 1024 * 1024))),
    wantCode: 413,
    wantReason: 'RequestEntityTooLarge',
    wantMessage: /^Request entity too large: limit is 3145728$/,
  },
  // --- media types
  {
    name: 'text/plain body',
    method: 'POST',
    path: CM,
    headers: { 'content-type': 'text/plain' },
    body: cmBody({ name: 'a' }),
    wantCode: 415,
    wantReason: 'UnsupportedMediaType',
    wantMessage: /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/,
  },
  {
    name: 'protobuf content type with a body that is not protobuf',
    method: 'POST',
    path: CM,
    headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
    body: cmBody({ name: 'a' }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /must be of type ConfigMap\): provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\]/,
  },
  {
    name: 'Accept that nothing matches',
    method: 'GET',
    path: CM,
    headers: { accept: 'text/html' },
    wantCode: 406,
    wantReason: 'NotAcceptable',
    wantMessage: /^only the following media types are accepted: application\/json/,
  },
  {
    name: 'Accept that nothing matches on create',
    method: 'POST',
    path: CM,
    headers: { accept: 'image/png' },
    body: cmBody({ name: 'never' }),
    wantCode: 406,
    wantReason: 'NotAcceptable',
    wantMessage: /only the following media types are accepted/,
  },
  // --- routing
  { name: 'unknown group', method: 'GET', path: '/apis/nope.example.com/v1/widgets', wantCode: 404, wantReason: 'NotFound', wantMessage: /^the server could not find the requested resource$/ },
  { name: 'unknown version', method: 'GET', path: '/apis/apps/v1beta9/deployments', wantCode: 404, wantReason: 'NotFound', wantMessage: /^the server could not find the requested resource$/ },
  { name: 'unknown resource', method: 'GET', path: '/api/v1/namespaces/default/widgets', wantCode: 404, wantReason: 'NotFound', wantMessage: /^the server could not find the requested resource$/ },
  {
    name: 'unknown subresource',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps/existing/nonsense',
    wantCode: 404,
    wantReason: 'NotFound',
    wantMessage: /^the server could not find the requested resource$/,
  },
  {
    name: 'POST to a named object URL',
    method: 'POST',
    path: `${CM}/existing`,
    body: cmBody({ name: 'existing' }),
    wantCode: 405,
    wantReason: 'MethodNotAllowed',
    wantMessage: /^the server does not allow this method on the requested resource$/,
  },
  {
    name: 'method not allowed on a subresource',
    method: 'DELETE',
    path: '/api/v1/namespaces/default/pods/p1/status',
    wantCode: 405,
    wantReason: 'MethodNotAllowed',
    wantMessage: /^the server does not allow this method on the requested resource$/,
  },
  {
    name: 'POST to the scale subresource',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/default/deployments/d/scale',
    body: '{}',
    wantCode: 405,
    wantReason: 'MethodNotAllowed',
    wantMessage: /^the server does not allow this method on the requested resource$/,
  },
  {
    name: 'POST to the all-namespaces path',
    method: 'POST',
    path: '/api/v1/configmaps',
    body: cmBody({ name: 'nowhere' }),
    wantCode: 405,
    wantReason: 'MethodNotAllowed',
    wantMessage: /^the server does not allow this method on the requested resource$/,
  },
  { name: 'DELETE on the all-namespaces path', method: 'DELETE', path: '/api/v1/configmaps', wantCode: 405, wantReason: 'MethodNotAllowed', wantMessage: /does not allow this method/ },
  { name: 'PUT to a collection', method: 'PUT', path: CM, body: cmBody({ name: 'x' }), wantCode: 405, wantReason: 'MethodNotAllowed', wantMessage: /does not allow this method/ },
  { name: 'a namespaced resource under a cluster path', method: 'GET', path: '/api/v1/configmaps/existing', wantCode: 404, wantReason: 'NotFound', wantMessage: /could not find the requested resource/ },
  { name: 'a cluster-scoped resource under a namespace', method: 'GET', path: '/api/v1/namespaces/default/nodes', wantCode: 404, wantReason: 'NotFound', wantMessage: /could not find the requested resource/ },
  { name: 'unknown HTTP method', method: 'OPTIONS', path: CM, wantCode: 405, wantReason: 'MethodNotAllowed', wantMessage: /does not allow this method/ },
  {
    name: 'anonymous request',
    method: 'GET',
    path: CM,
    anonymous: true,
    wantCode: 403,
    wantReason: 'Forbidden',
    wantMessage: /^configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "default"$/,
  },
  // --- type meta
  {
    name: 'a Service posted to the pods endpoint',
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^Service in version "v1" cannot be handled as a Pod: /,
  },
  {
    name: 'a kind nobody serves',
    method: 'POST',
    path: CM,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'g' } }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^Gizmo in version "v1" cannot be handled as a ConfigMap: no kind "Gizmo" is registered for version "v1"/,
  },
  {
    name: 'apiVersion mismatch',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: JSON.stringify({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'd' } }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the API version in the data \(apps\/v1beta1\) does not match the expected API version \(apps\/v1\)$/,
  },
  // --- metadata
  {
    name: 'namespace in the body differs from the path',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a', namespace: 'kube-system' }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the namespace of the provided object does not match the namespace sent on the request$/,
  },
  {
    name: 'uppercase name',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'MyConfig' }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ConfigMap "MyConfig" is invalid: metadata\.name: Invalid value: "MyConfig": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters/,
  },
  {
    name: 'name too long',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a'.repeat(254) }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /metadata\.name: Invalid value: "a{254}": must be no more than 253 characters$/,
  },
  {
    name: 'name with a slash',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a/b' }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ConfigMap "a\/b" is invalid: metadata\.name: Invalid value: "a\/b": a lowercase RFC 1123 subdomain/,
  },
  {
    name: 'service name that is not a DNS-1035 label',
    method: 'POST',
    path: '/api/v1/namespaces/default/services',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^Service "1svc" is invalid: metadata\.name: Invalid value: "1svc": a DNS-1035 label must consist of/,
  },
  { name: 'no name and no generateName', method: 'POST', path: CM, body: cmBody({}), wantCode: 422, wantReason: 'Invalid', wantMessage: /metadata\.name: Required value: name or generateName is required/ },
  {
    name: 'invalid label key',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a', labels: { 'bad key': 'v' } }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ConfigMap "a" is invalid: metadata\.labels: Invalid value: "bad key": name part must consist of alphanumeric characters/,
  },
  {
    name: 'invalid label value',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a', labels: { ok: '-bad-' } }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /metadata\.labels: Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters/,
  },
  {
    name: 'invalid annotation key',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a', annotations: { 'not a/key': 'v' } }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /metadata\.annotations: Invalid value: "not a\/key": prefix part a lowercase RFC 1123 subdomain/,
  },
  {
    name: 'annotations over 256 KiB',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'a', annotations: { big: 'x'.repeat(256 * 1024 + 1) } }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /metadata\.annotations: Too long: may not be more than 262144 bytes/,
  },
  // --- query parameters
  {
    name: 'bad label selector',
    method: 'GET',
    path: `${CM}?labelSelector=${encodeURIComponent('app in prod')}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^unable to parse requirement: found 'prod',? expected: '\('$/,
  },
  { name: 'bad field selector', method: 'GET', path: '/api/v1/pods?fieldSelector=spec.nodeName', wantCode: 400, wantReason: 'BadRequest', wantMessage: /^invalid selector: 'spec\.nodeName'; can't understand 'spec\.nodeName'$/ },
  {
    name: 'unsupported field selector label',
    method: 'GET',
    path: `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.hostname=x')}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^field label not supported: spec\.hostname$/,
  },
  {
    name: 'unsupported field selector label on watch',
    method: 'GET',
    path: `${CM}?watch=true&fieldSelector=${encodeURIComponent('data.a=b')}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    // Kinds without their own field labels use the scheme's default conversion.
    wantMessage: /^"data\.a" is not a known field selector: only "metadata\.name", "metadata\.namespace"$/,
  },
  { name: 'bad limit', method: 'GET', path: `${CM}?limit=ten`, wantCode: 400, wantReason: 'BadRequest', wantMessage: /strconv\.ParseInt: parsing "ten": invalid syntax$/ },
  {
    name: 'bad resourceVersion on list',
    method: 'GET',
    path: `${CM}?resourceVersion=latest`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^invalid resource version: resourceVersion: Invalid value: "latest": strconv\.ParseUint: parsing "latest": invalid syntax$/,
  },
  { name: 'bad resourceVersion on get', method: 'GET', path: `${CM}/existing?resourceVersion=-1`, wantCode: 400, wantReason: 'BadRequest', wantMessage: /^invalid resource version: .*parsing "-1": invalid syntax$/ },
  {
    name: 'unsupported resourceVersionMatch',
    method: 'GET',
    path: `${CM}?resourceVersion=1&resourceVersionMatch=Newest`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ListOptions\.meta\.k8s\.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""$/,
  },
  {
    name: 'resourceVersionMatch without resourceVersion',
    method: 'GET',
    path: `${CM}?resourceVersionMatch=Exact`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided$/,
  },
  {
    name: 'continue token that is not base64',
    method: 'GET',
    path: `${CM}?limit=1&continue=${encodeURIComponent('not*base64')}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^invalid continue token: continue key is not valid: illegal base64 data at input byte 3$/,
  },
  {
    name: 'continue token that is not JSON',
    method: 'GET',
    path: `${CM}?limit=1&continue=abc`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^invalid continue token: continue key is not valid: invalid character/,
  },
  {
    name: 'continue token of an unknown version',
    method: 'GET',
    path: `${CM}?limit=1&continue=${b64({ v: 'meta.k8s.io/v9', rv: 5, start: 'a' })}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^invalid continue token: continue key is not valid: server does not recognize this encoded version meta\.k8s\.io\/v9$/,
  },
  {
    name: 'continue token climbing out of its prefix',
    method: 'GET',
    path: `${CM}?limit=1&continue=${b64({ v: 'meta.k8s.io/v1', rv: 5, start: '../../secrets/default/x' })}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^invalid continue token: continue key is not valid: \.\.\/\.\.\/secrets/,
  },
  {
    name: 'continue with a resourceVersion',
    method: 'GET',
    path: `${CM}?limit=1&resourceVersion=3&continue=${b64({ v: 'meta.k8s.io/v1', rv: 5, start: 'a' })}`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^specifying resource version is not allowed when using continue$/,
  },
  {
    name: 'bad dryRun value',
    method: 'POST',
    path: `${CM}?dryRun=true`,
    body: cmBody({ name: 'dry' }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^CreateOptions\.meta\.k8s\.io "" is invalid: dryRun: Unsupported value: \[\]string\{"true"\}: supported values: "All"$/,
  },
  {
    name: 'bad dryRun value on delete',
    method: 'DELETE',
    path: `${CM}/existing?dryRun=Server`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^DeleteOptions\.meta\.k8s\.io "" is invalid: dryRun: Unsupported value: \[\]string\{"Server"\}: supported values: "All"$/,
  },
  {
    name: 'bad fieldValidation value',
    method: 'POST',
    path: `${CM}?fieldValidation=Loose`,
    body: cmBody({ name: 'fv' }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^CreateOptions\.meta\.k8s\.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"$/,
  },
  {
    name: 'Strict create with a duplicate and an unknown field',
    method: 'POST',
    path: `${CM}?fieldValidation=Strict`,
    body: cmBody({ name: 'dup' }).replace('"data":{"a":"b"}', '"data":{"a":"b","a":"c"},"dataa":{}'),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data\.a", unknown field "dataa"$/,
  },
  {
    name: 'Strict YAML create with a repeated key',
    method: 'POST',
    path: `${CM}?fieldValidation=Strict`,
    headers: YAML,
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dupyaml\ndata:\n  a: b\n  a: c\n',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n {2}line 7: key "a" already set in map$/,
  },
  {
    name: 'Strict merge patch with a duplicate field',
    method: 'PATCH',
    path: `${CM}/existing?fieldValidation=Strict`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: '{"data":{"a":"x","a":"y"}}',
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: duplicate field "data\.a"$/,
  },
  {
    name: 'bad propagationPolicy',
    method: 'DELETE',
    path: `${CM}/existing?propagationPolicy=Sideways`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^DeleteOptions\.meta\.k8s\.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"$/,
  },
  {
    name: 'bad propagationPolicy on a missing object is still 422',
    method: 'DELETE',
    path: `${CM}/missing`,
    body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Sideways' }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /propagationPolicy: Unsupported value: "Sideways"/,
  },
  {
    name: 'orphanDependents together with propagationPolicy',
    method: 'DELETE',
    path: `${CM}/existing?orphanDependents=true&propagationPolicy=Orphan`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set$/,
  },
  { name: 'bad gracePeriodSeconds', method: 'DELETE', path: `${CM}/existing?gracePeriodSeconds=soon`, wantCode: 400, wantReason: 'BadRequest', wantMessage: /strconv\.ParseInt: parsing "soon": invalid syntax$/ },
  {
    name: 'bad includeObject',
    method: 'GET',
    path: `${CM}?includeObject=Everything`,
    headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^TableOptions\.meta\.k8s\.io "" is invalid: includeObject: Invalid value: "Everything": must be 'Metadata', 'Object', 'None', or empty$/,
  },
  // --- updates
  {
    name: 'PUT with a stale resourceVersion',
    method: 'PUT',
    path: `${CM}/existing`,
    body: cmBody({ name: 'existing', resourceVersion: '1' }),
    wantCode: 409,
    wantReason: 'Conflict',
    wantMessage: /^Operation cannot be fulfilled on configmaps "existing": the object has been modified; please apply your changes to the latest version and try again$/,
  },
  {
    name: 'PUT with a resourceVersion that is not a number',
    method: 'PUT',
    path: `${CM}/existing`,
    body: cmBody({ name: 'existing', resourceVersion: 'v2' }),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ConfigMap "existing" is invalid: metadata\.resourceVersion: Invalid value: "v2": strconv\.ParseUint: parsing "v2": invalid syntax$/,
  },
  {
    name: 'PUT whose name differs from the URL',
    method: 'PUT',
    path: `${CM}/existing`,
    body: cmBody({ name: 'other' }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the name of the object \(other\) does not match the name on the URL \(existing\)$/,
  },
  {
    name: 'PUT whose namespace differs from the URL',
    method: 'PUT',
    path: `${CM}/existing`,
    body: cmBody({ name: 'existing', namespace: 'kube-system' }),
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the namespace of the object \(kube-system\) does not match the namespace on the request \(default\)$/,
  },
  { name: 'PUT of a missing object', method: 'PUT', path: `${CM}/missing`, body: cmBody({ name: 'missing' }), wantCode: 404, wantReason: 'NotFound', wantMessage: /^configmaps "missing" not found$/ },
  {
    name: 'PATCH with an unknown patch type',
    method: 'PATCH',
    path: `${CM}/existing`,
    headers: { 'content-type': 'application/x-patch' },
    body: '{}',
    wantCode: 415,
    wantReason: 'UnsupportedMediaType',
    wantMessage: /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json/,
  },
  {
    name: 'PATCH with an unknown patch type on a missing object is still 415',
    method: 'PATCH',
    path: `${CM}/missing`,
    headers: { 'content-type': 'text/plain' },
    body: '{}',
    wantCode: 415,
    wantReason: 'UnsupportedMediaType',
    wantMessage: /unknown format/,
  },
  {
    name: 'JSON patch whose test op fails',
    method: 'PATCH',
    path: `${CM}/existing`,
    headers: { 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([
      { op: 'test', path: '/data/a', value: 'not-b' },
      { op: 'replace', path: '/data/a', value: 'c' },
    ]),
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^the server rejected our request due to an error in our request$/,
  },
  {
    name: 'JSON patch that is not a list',
    method: 'PATCH',
    path: `${CM}/existing`,
    headers: { 'content-type': 'application/json-patch+json' },
    body: '{"op":"add"}',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^json: cannot unmarshal object into Go value of type jsonpatch\.Patch$/,
  },
  {
    name: 'merge patch that is not an object',
    method: 'PATCH',
    path: `${CM}/existing`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: '"replace everything"',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^Invalid JSON Patch$/,
  },
  {
    name: 'merge patch that renames the object',
    method: 'PATCH',
    path: `${CM}/existing`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: '{"metadata":{"name":"renamed"}}',
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^the name of the object \(renamed\) does not match the name on the URL \(existing\)$/,
  },
  {
    name: 'merge patch that makes the object invalid',
    method: 'PATCH',
    path: `${CM}/existing`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: '{"metadata":{"labels":{"bad key":"v"}}}',
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ConfigMap "existing" is invalid: metadata\.labels: Invalid value: "bad key"/,
  },
  // --- deletes and namespaces
  { name: 'DELETE of a missing object', method: 'DELETE', path: `${CM}/missing`, wantCode: 404, wantReason: 'NotFound', wantMessage: /^configmaps "missing" not found$/ },
  {
    name: 'create in a missing namespace',
    method: 'POST',
    path: '/api/v1/namespaces/nowhere/configmaps',
    body: cmBody({ name: 'a' }),
    wantCode: 404,
    wantReason: 'NotFound',
    wantMessage: /^namespaces "nowhere" not found$/,
  },
  {
    name: 'create in a terminating namespace',
    method: 'POST',
    path: '/api/v1/namespaces/doomed/configmaps',
    body: cmBody({ name: 'late' }),
    wantCode: 403,
    wantReason: 'Forbidden',
    wantMessage: /^configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated$/,
  },
  {
    name: 'deletion of the default namespace',
    method: 'DELETE',
    path: '/api/v1/namespaces/default',
    wantCode: 403,
    wantReason: 'Forbidden',
    wantMessage: /^namespaces "default" is forbidden: this namespace may not be deleted$/,
  },
  {
    name: 'deletion of kube-system',
    method: 'DELETE',
    path: '/api/v1/namespaces/kube-system',
    wantCode: 403,
    wantReason: 'Forbidden',
    wantMessage: /^namespaces "kube-system" is forbidden: this namespace may not be deleted$/,
  },
  {
    name: 'create that already exists',
    method: 'POST',
    path: CM,
    body: cmBody({ name: 'existing' }),
    wantCode: 409,
    wantReason: 'AlreadyExists',
    wantMessage: /^configmaps "existing" already exists$/,
  },
  // --- watch
  {
    name: 'watch with a non-numeric resourceVersion',
    method: 'GET',
    path: `${CM}?watch=true&resourceVersion=now`,
    wantCode: 400,
    wantReason: 'BadRequest',
    wantMessage: /^invalid resource version: resourceVersion: Invalid value: "now"/,
  },
  { name: 'watch with a bad timeoutSeconds', method: 'GET', path: `${CM}?watch=true&timeoutSeconds=forever`, wantCode: 400, wantReason: 'BadRequest', wantMessage: /parsing "forever": invalid syntax$/ },
  {
    name: 'sendInitialEvents without resourceVersionMatch',
    method: 'GET',
    path: `${CM}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /^ListOptions\.meta\.k8s\.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan$/,
  },
  {
    name: 'resourceVersionMatch on a watch without sendInitialEvents',
    method: 'GET',
    path: `${CM}?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan`,
    wantCode: 422,
    wantReason: 'Invalid',
    wantMessage: /resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided$/,
  },
];

let ts: TestServer;

before(async () => {
  ts = await startTestServer();
  const mk = async (path: string, body: unknown): Promise<void> => {
    const r = await ts.post(path, body);
    assert.equal(r.status, 201, `setup POST ${path}: ${r.text}`);
  };
  await mk(CM, configMap('existing', { a: 'b' }));
  await mk('/api/v1/namespaces/default/pods', pod('p1'));
  await mk('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  const d = await ts.del('/api/v1/namespaces/doomed');
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status.phase, 'Terminating');
});

after(async () => {
  await ts?.close();
});

for (const row of rows) {
  test(row.name, async () => {
    const before = await ts.revision();
    const r = await ts.request(row.method, row.path, {
      ...(row.headers ? { headers: row.headers } : {}),
      ...(row.body !== undefined ? { body: row.body } : {}),
      ...(row.anonymous ? { anonymous: true } : {}),
    });
    assert.equal(r.status, row.wantCode, `status: ${r.text.slice(0, 500)}`);
    assert.ok(r.json !== undefined, `body is not JSON: ${r.text.slice(0, 200)}`);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.apiVersion, 'v1');
    assert.equal(r.json.status, 'Failure');
    assert.equal(r.json.code, row.wantCode);
    assert.equal(r.json.reason, row.wantReason);
    assert.match(r.json.message, row.wantMessage);
    assert.equal(await ts.revision(), before, 'a bad request wrote to the store');
    const ready = await ts.get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.text, 'ok');
  });
}
