import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const es = (spec: object, name = 'web-abc', namespace = 'd') => ({ metadata: { name, namespace }, ...spec });

const rows: Row[] = [
  {
    name: 'valid (what the endpointslice controller writes)',
    obj: es({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true }, nodeName: 'n1', zone: 'a', hints: { forZones: [{ name: 'a' }] } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' }],
    }),
    want: [],
  },
  { name: 'FQDN addresses', obj: es({ addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com.'] }] }), want: [] },
  {
    name: 'address type required and enumerated',
    obj: es({ addressType: 'IP', endpoints: [] }),
    want: [['FieldValueNotSupported', 'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
  },
  { name: 'address type missing', obj: es({ endpoints: [] }), want: [['FieldValueRequired', 'addressType: Required value']] },
  {
    name: 'addresses must match the type and not be special',
    obj: es({ addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['fd00::1', '127.0.0.1'] }] }),
    want: [
      ['FieldValueRequired', 'endpoints[0].addresses: Required value: must contain at least 1 address'],
      ['FieldValueInvalid', 'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
      ['FieldValueInvalid', 'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ],
  },
  {
    name: 'the API server\'s own slice may be loopback',
    obj: es({ addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'] }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }, 'kubernetes', 'default'),
    want: [],
  },
  {
    name: 'ports: duplicate names, protocols, appProtocol',
    obj: es({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }], ports: [{ port: 80 }, { port: 81, protocol: 'HTTP', appProtocol: 'a/b/c' }] }),
    want: [
      ['FieldValueDuplicate', 'ports[1].name: Duplicate value: ""'],
      ['FieldValueNotSupported', 'ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
      [
        'FieldValueInvalid',
        `ports[1].appProtocol: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
  },
  {
    name: 'too many zone hints',
    obj: es({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], hints: { forZones: 'abcdefghi'.split('').map((name) => ({ name })) } }] }),
    want: [['FieldValueTooMany', 'endpoints[0].hints.forZones: Too many: 9: must have at most 8 items']],
  },
  {
    name: 'update: addressType is immutable',
    old: es({ addressType: 'IPv4', endpoints: [] }),
    obj: es({ addressType: 'IPv6', endpoints: [] }),
    want: [['FieldValueInvalid', 'addressType: Invalid value: "IPv6": field is immutable']],
  },
];

for (const r of rows) test(`EndpointSlice: ${r.name}`, () => assert.deepEqual(validateAs('discovery.k8s.io/EndpointSlice', r.obj, r.old), r.want));
