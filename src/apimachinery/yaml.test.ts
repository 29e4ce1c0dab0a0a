import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatchStrictYAMLError, yamlDuplicateKeys, yamlToJSONValue, yamlUnmarshalStrictError } from './yaml.js';

// Table: YAML text → go-yaml v2's strict complaints, in its order.
const duplicateCases: { name: string; in: string; want: string[] }[] = [
  { name: 'no repeats', in: 'a: 1\nb:\n  a: 2\nl:\n- a: 1\n- a: 2\n', want: [] },
  { name: 'a scalar key twice', in: 'a: 1\nb: 2\na: 3\n', want: ['line 3: key "a" already set in map'] },
  { name: 'three times: each repeat', in: 'a: 1\na: 2\na: 3\n', want: ['line 2: key "a" already set in map', 'line 3: key "a" already set in map'] },
  { name: 'nested mapping', in: 'spec:\n  replicas: 1\n  replicas: 2\n', want: ['line 3: key "replicas" already set in map'] },
  {
    name: 'a list of mappings',
    in: 'containers:\n- name: a\n  image: x\n  image: y\n- name: b\n  name: c\n',
    want: ['line 4: key "image" already set in map', 'line 6: key "name" already set in map'],
  },
  {
    name: 'a repeated key whose value is a block mapping: the line of the value, after the value\'s own repeats',
    in: 'spec: {}\nspec:\n\n  x: 1\n  x: 2\n',
    want: ['line 5: key "x" already set in map', 'line 4: key "spec" already set in map'],
  },
  { name: 'an empty value: the line of the key', in: 'a: 1\na:\nb: 2\n', want: ['line 2: key "a" already set in map'] },
  { name: 'JSON text (flow mappings)', in: '{\n\t"a": 1,\n\t"b": {"c": 1, "c": 2},\n\t"a": 3\n}', want: ['line 3: key "c" already set in map', 'line 4: key "a" already set in map'] },
  { name: 'keys compare after YAML 1.1 resolution: yes and true are one bool', in: 'yes: 1\ntrue: 2\n', want: ['line 2: key true already set in map'] },
  { name: 'an int key is printed bare', in: '1: a\n1: b\n', want: ['line 2: key 1 already set in map'] },
  { name: 'an int and a string, or an int and a float, are different keys', in: '1: a\n"1": b\n1.0: c\n', want: [] },
  { name: 'quoted and plain spellings of one string are one key', in: 'a: 1\n"a": 2\n', want: ['line 2: key "a" already set in map'] },
  { name: 'a null key', in: '~: 1\nnull: 2\n', want: ['line 2: key <nil> already set in map'] },
  { name: 'a key set by a merge key and again in place', in: 'base: &b\n  x: 1\nm:\n  <<: *b\n  x: 2\n', want: ['line 5: key "x" already set in map'] },
  { name: 'not YAML: nothing (the decode reports it)', in: 'a: [\n', want: [] },
];

for (const c of duplicateCases) {
  test(`yamlDuplicateKeys: ${c.name}`, () => {
    assert.deepEqual(yamlDuplicateKeys(c.in), c.want);
  });
}

test('yamlUnmarshalStrictError: go-yaml\'s TypeError text, or undefined', () => {
  assert.equal(yamlUnmarshalStrictError('a: 1\n'), undefined);
  assert.equal(yamlUnmarshalStrictError('a: 1\na: 2\nb:\n  c: 1\n  c: 2\n'), 'yaml: unmarshal errors:\n  line 2: key "a" already set in map\n  line 5: key "c" already set in map');
});

test('applyPatchStrictYAMLError: the apply handler\'s message for upstream\'s integration body', () => {
  // test/integration/apiserver/field_validation_test.go applyInvalidBody (JSON with tabs).
  const body = `{
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {
			"name": "d",
			"labels": {"app": "nginx"}
		},
		"spec": {
			"paused": false,
			"paused": true,
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
						"imagePullPolicy": "Never",
						"imagePullPolicy": "Always"
					}]
				}
			}
		}
	}`;
  assert.equal(
    applyPatchStrictYAMLError(Buffer.from(body)),
    'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 10: key "paused" already set in map\n  line 27: key "imagePullPolicy" already set in map',
  );
  assert.equal(applyPatchStrictYAMLError('apiVersion: v1\nkind: ConfigMap\n'), undefined);
});

test('yamlToJSONValue: the last of a repeated key wins, as go-yaml\'s non-strict decode', () => {
  assert.deepEqual(yamlToJSONValue('a: 1\nm:\n  p: 1\nm:\n  q: 2\na: 3\n'), { a: 3, m: { q: 2 } });
});
