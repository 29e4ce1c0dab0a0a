import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crdDefaultPrinter, crdPrinter, printerForCRD } from './crd.js';
import { compileJSONPath, evaluateJSONPath, printValue } from './jsonpath.js';
import type { KObject } from '../registry/strategy.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

test('crdDefaultPrinter: Name and an Age column of type date', () => {
  assert.deepEqual(
    crdDefaultPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Age', 'date', '', 0],
    ],
  );
  assert.deepEqual(crdDefaultPrinter.cells({ metadata: { name: 'w', creationTimestamp: '2024-06-01T11:00:00Z' } }, NOW), ['w', '60m']);
  assert.deepEqual(crdDefaultPrinter.cells({ metadata: { name: 'w' } }, NOW), ['w', null]);
});

const certificateCRD: KObject = {
  spec: {
    versions: [
      { name: 'v1alpha1', additionalPrinterColumns: [] },
      {
        name: 'v1',
        additionalPrinterColumns: [
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
          { name: 'Issuer', type: 'string', jsonPath: '.spec.issuerRef.name', priority: 1 },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Ratio', type: 'number', jsonPath: '.status.ratio' },
          { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
          { name: 'Expires', type: 'date', jsonPath: '.status.notAfter', description: 'When it expires' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

test('printerForCRD: additionalPrinterColumns of the served version', () => {
  const p = printerForCRD(certificateCRD, 'v1');
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Secret', 'string', 0],
      ['Issuer', 'string', 1],
      ['Replicas', 'integer', 0],
      ['Ratio', 'number', 0],
      ['Paused', 'boolean', 0],
      ['Expires', 'date', 0],
      ['Age', 'date', 0],
    ],
  );
  assert.equal(p.columns[1]?.description, 'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status');
  assert.equal(p.columns[7]?.description, 'When it expires');

  const cases: { name: string; obj: KObject; want: unknown[] }[] = [
    {
      name: 'everything set',
      obj: {
        metadata: { name: 'web-tls', creationTimestamp: '2024-05-30T12:00:00Z' },
        spec: { secretName: 'web-tls', issuerRef: { name: 'letsencrypt' }, replicas: 3, paused: false },
        status: {
          conditions: [
            { type: 'Issuing', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
          ratio: 0.5,
          notAfter: '2024-06-01T11:00:00Z',
        },
      },
      want: ['web-tls', 'True', 'web-tls', 'letsencrypt', 3, 0.5, false, '60m', '2d'],
    },
    {
      name: 'missing fields are null; wrong JSON types are null; bad dates are <invalid>',
      obj: {
        metadata: { name: 'bare' },
        spec: { replicas: '3', paused: 'yes' },
        status: { ratio: 'half', notAfter: 'next tuesday' },
      },
      want: ['bare', null, null, null, null, null, null, '<invalid>', null],
    },
    {
      name: 'integers truncate; strings print non-strings as text',
      obj: { metadata: { name: 'n', creationTimestamp: '' }, spec: { secretName: 42, replicas: 2.7 }, status: { notAfter: '' } },
      want: ['n', null, '42', null, 2, null, null, '<unknown>', '<unknown>'],
    },
  ];
  for (const c of cases) assert.deepEqual(p.cells(c.obj, NOW), c.want, c.name);

  // A version without printer columns gets the default Age column.
  assert.deepEqual(
    printerForCRD(certificateCRD, 'v1alpha1').columns.map((c) => c.name),
    ['Name', 'Age'],
  );
});

test('crdPrinter: a path it cannot evaluate leaves the cell empty', () => {
  const p = crdPrinter([{ name: 'Deep', type: 'string', jsonPath: '..name' }]);
  assert.deepEqual(p.cells({ metadata: { name: 'x' } }, NOW), ['x', null]);
});

test('JSONPath subset', () => {
  const doc = {
    metadata: { name: 'n', annotations: { 'example.com/owner': 'team-a' } },
    spec: { ports: [{ port: 80 }, { port: 443 }], list: [1, 2, 3, 4] },
    status: { conditions: [{ type: 'A', status: 'False', n: 1 }, { type: 'Ready', status: 'True', n: 5 }] },
  };
  const cases: { name: string; path: string; want: unknown[] | undefined }[] = [
    { name: 'field', path: '.metadata.name', want: ['n'] },
    { name: 'braces and $', path: '{$.metadata.name}', want: ['n'] },
    { name: 'escaped dot', path: '.metadata.annotations.example\\.com/owner', want: ['team-a'] },
    { name: 'quoted key', path: ".metadata.annotations['example.com/owner']", want: ['team-a'] },
    { name: 'index', path: '.spec.ports[1].port', want: [443] },
    { name: 'negative index', path: '.spec.ports[-1].port', want: [443] },
    { name: 'wildcard', path: '.spec.ports[*].port', want: [80, 443] },
    { name: 'slice', path: '.spec.list[1:3]', want: [2, 3] },
    { name: 'filter ==', path: '.status.conditions[?(@.type=="Ready")].status', want: ['True'] },
    { name: "filter == with ''", path: ".status.conditions[?(@.type=='A')].status", want: ['False'] },
    { name: 'filter >', path: '.status.conditions[?(@.n > 2)].type', want: ['Ready'] },
    { name: 'filter exists', path: '.status.conditions[?(@.n)].type', want: ['A', 'Ready'] },
    { name: 'missing', path: '.status.nope', want: [] },
    { name: 'recursive descent is refused', path: '..name', want: undefined },
    { name: 'union is refused', path: '.spec.ports[0,1]', want: undefined },
  ];
  for (const c of cases) {
    const compiled = compileJSONPath(c.path);
    if (c.want === undefined) {
      assert.equal(compiled, undefined, c.name);
      continue;
    }
    assert.ok(compiled, c.name);
    assert.deepEqual(evaluateJSONPath(compiled, doc), c.want, c.name);
  }
});

test('printValue: Go fmt %v text for JSON values', () => {
  const cases: { name: string; in: unknown; want: string | undefined }[] = [
    { name: 'string', in: 'abc', want: 'abc' },
    { name: 'integer', in: 42, want: '42' },
    { name: 'float', in: 0.25, want: '0.25' },
    { name: 'large float', in: 1234567.5, want: '1.2345675e+06' },
    { name: 'tiny float', in: 0.00001, want: '1e-05' },
    { name: 'bool', in: true, want: 'true' },
    { name: 'null', in: null, want: undefined },
    { name: 'array', in: ['a', 1], want: '[a 1]' },
    { name: 'map with sorted keys', in: { b: 1, a: 'x' }, want: 'map[a:x b:1]' },
  ];
  for (const c of cases) assert.equal(printValue(c.in), c.want, c.name);
});
