import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const ep = (subsets: object[], name = 'web', namespace = 'd') => ({ metadata: { name, namespace }, subsets });
const port = { name: 'http', port: 80, protocol: 'TCP' };

const rows: Row[] = [
  {
    name: 'valid (what the endpoints controller writes)',
    obj: ep([{ addresses: [{ ip: '10.244.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'p', namespace: 'd' } }], notReadyAddresses: [{ ip: 'fd00::5' }], ports: [port] }]),
    want: [],
  },
  { name: 'a single port may be unnamed', obj: ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]), want: [] },
  {
    name: 'a subset needs addresses',
    obj: ep([{ ports: [port] }]),
    want: [['FieldValueRequired', 'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']],
  },
  {
    name: 'invalid and special addresses',
    obj: ep([{ addresses: [{ ip: 'x' }, { ip: '127.0.0.1' }, { ip: '169.254.169.254' }, { ip: '0.0.0.0' }, { ip: '224.0.0.5' }, { ip: '::1' }, { ip: 'fe80::1' }] }]),
    want: [
      ['FieldValueInvalid', 'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
      ['FieldValueInvalid', 'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
      ['FieldValueInvalid', 'subsets[0].addresses[2].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
      ['FieldValueInvalid', 'subsets[0].addresses[3].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'],
      ['FieldValueInvalid', 'subsets[0].addresses[4].ip: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
      ['FieldValueInvalid', 'subsets[0].addresses[5].ip: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
      ['FieldValueInvalid', 'subsets[0].addresses[6].ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ],
  },
  {
    name: 'the API server\'s own default/kubernetes endpoints may be loopback (kubelite serves there)',
    obj: ep([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }], 'kubernetes', 'default'),
    want: [],
  },
  {
    name: 'other special addresses stay refused on default/kubernetes',
    obj: ep([{ addresses: [{ ip: '169.254.1.1' }] }], 'kubernetes', 'default'),
    want: [['FieldValueInvalid', 'subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
  },
  {
    name: 'ports: names when several, numbers, protocols',
    obj: ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 0, protocol: 'TCP' }, { name: 'Web', port: 70000, protocol: 'HTTP' }] }]),
    want: [
      ['FieldValueRequired', 'subsets[0].ports[0].name: Required value'],
      ['FieldValueInvalid', 'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
      [
        'FieldValueInvalid',
        `subsets[0].ports[1].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
      ['FieldValueInvalid', 'subsets[0].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive'],
      ['FieldValueNotSupported', 'subsets[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
  },
  {
    name: 'update: an address may not move to another node',
    old: ep([{ addresses: [{ ip: '10.0.0.1', nodeName: 'n1' }] }]),
    obj: ep([{ addresses: [{ ip: '10.0.0.1', nodeName: 'n2' }] }]),
    want: [['FieldValueForbidden', 'subsets[0].addresses[0].nodeName: Forbidden: Cannot change NodeName for 10.0.0.1 to n2']],
  },
];

for (const r of rows) test(`Endpoints: ${r.name}`, () => assert.deepEqual(validateAs('/Endpoints', r.obj, r.old), r.want));
