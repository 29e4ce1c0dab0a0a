import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const backend = (port: object = { number: 80 }, name = 'web') => ({ service: { name, port } });
const httpPath = (p: object) => ({ path: '/', pathType: 'Prefix', backend: backend(), ...p });
const ingress = (spec: object, annotations?: Record<string, string>) => ({ metadata: { name: 'i', namespace: 'd', ...(annotations ? { annotations } : {}) }, spec });
const rule = (paths: object[], host = 'foo.example.com') => ({ host, http: { paths } });
const P = 'spec.rules[0].http.paths[0]';

const ingressRows: Row[] = [
  {
    name: 'valid',
    obj: ingress({
      ingressClassName: 'nginx',
      rules: [rule([httpPath({}), httpPath({ path: '/x', pathType: 'Exact', backend: backend({ name: 'http' }) })]), rule([httpPath({})], '*.example.com')],
      tls: [{ hosts: ['foo.example.com', '*.example.com'], secretName: 'tls' }],
    }),
    want: [],
  },
  { name: 'default backend only', obj: ingress({ defaultBackend: backend() }), want: [] },
  { name: 'implementation-specific empty path', obj: ingress({ rules: [rule([httpPath({ path: '', pathType: 'ImplementationSpecific' })])] }), want: [] },
  {
    name: 'neither rules nor default backend',
    obj: ingress({}),
    want: [['FieldValueInvalid', 'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
  },
  {
    name: 'empty rules list',
    obj: ingress({ rules: [] }),
    want: [['FieldValueInvalid', 'spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified']],
  },
  {
    name: 'pathType missing (v1 has no default)',
    obj: ingress({ rules: [rule([httpPath({ pathType: undefined })])] }),
    want: [['FieldValueRequired', `${P}.pathType: Required value: pathType must be specified`]],
  },
  {
    name: 'pathType unsupported',
    obj: ingress({ rules: [rule([httpPath({ pathType: 'Regex' })])] }),
    want: [['FieldValueNotSupported', `${P}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`]],
  },
  {
    name: 'prefix path relative with a double slash',
    obj: ingress({ rules: [rule([httpPath({ path: 'api//v1' })])] }),
    want: [
      ['FieldValueInvalid', `${P}.path: Invalid value: "api//v1": must be an absolute path`],
      ['FieldValueInvalid', `${P}.path: Invalid value: "api//v1": must not contain '//'`],
    ],
  },
  {
    name: 'exact path ending in /..',
    obj: ingress({ rules: [rule([httpPath({ path: '/a/..', pathType: 'Exact' })])] }),
    want: [['FieldValueInvalid', `${P}.path: Invalid value: "/a/..": cannot end with '/..'`]],
  },
  {
    name: 'port name and number',
    obj: ingress({ rules: [rule([httpPath({ backend: backend({ name: 'http', number: 80 }) })])] }),
    want: [['FieldValueInvalid', `${P}.backend: Invalid value: "": cannot set both port name & port number`]],
  },
  {
    name: 'port missing',
    obj: ingress({ rules: [rule([httpPath({ backend: backend({}) })])] }),
    want: [['FieldValueRequired', `${P}.backend: Required value: port name or number is required`]],
  },
  {
    name: 'port number out of range',
    obj: ingress({ rules: [rule([httpPath({ backend: backend({ number: 70000 }) })])] }),
    want: [['FieldValueInvalid', `${P}.backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive`]],
  },
  {
    name: 'no backend at all',
    obj: ingress({ rules: [rule([httpPath({ backend: {} })])] }),
    want: [['FieldValueInvalid', `${P}.backend: Invalid value: "": resource or service backend is required`]],
  },
  {
    name: 'both resource and service',
    obj: ingress({ rules: [rule([httpPath({ backend: { ...backend(), resource: { kind: 'Bucket', name: 'b' } } })])] }),
    want: [['FieldValueInvalid', `${P}.backend: Invalid value: "": cannot set both resource and service backends`]],
  },
  {
    name: 'service name is a DNS-1035 label',
    obj: ingress({ rules: [rule([httpPath({ backend: backend({ number: 80 }, '1web') })])] }),
    want: [['FieldValueInvalid', `${P}.backend.service.name: Invalid value: "1web": ${DNS1035}`]],
  },
  {
    name: 'service name required',
    obj: ingress({ defaultBackend: backend({ number: 80 }, '') }),
    want: [['FieldValueRequired', 'spec.defaultBackend.service.name: Required value']],
  },
  {
    name: 'resource backend kind and name',
    obj: ingress({ defaultBackend: { resource: { apiGroup: 'Example.com' } } }),
    want: [
      ['FieldValueInvalid', `spec.defaultBackend.resource.apiGroup: Invalid value: "Example.com": ${SUBDOMAIN}`],
      ['FieldValueRequired', 'spec.defaultBackend.resource.kind: Required value'],
      ['FieldValueRequired', 'spec.defaultBackend.resource.name: Required value'],
    ],
  },
  {
    name: 'host is an IP',
    obj: ingress({ rules: [rule([httpPath({})], '10.0.0.1')] }),
    want: [['FieldValueInvalid', 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
  },
  {
    name: 'bad wildcard host',
    obj: ingress({ rules: [rule([httpPath({})], '*.*.example.com')] }),
    want: [['FieldValueInvalid', `spec.rules[0].host: Invalid value: "*.*.example.com": ${WILDCARD}`]],
  },
  {
    name: 'http without paths',
    obj: ingress({ rules: [{ host: 'a.example.com', http: {} }] }),
    want: [['FieldValueRequired', 'spec.rules[0].http.paths: Required value']],
  },
  {
    name: 'tls hosts and secret name',
    obj: ingress({ defaultBackend: backend(), tls: [{ hosts: ['Foo.com'], secretName: 'Bad_Name' }] }),
    want: [
      ['FieldValueInvalid', `spec.tls[0].hosts[0]: Invalid value: "Foo.com": ${SUBDOMAIN}`],
      ['FieldValueInvalid', `spec.tls[0].secretName: Invalid value: "Bad_Name": ${SUBDOMAIN}`],
    ],
  },
  {
    name: 'ingressClassName',
    obj: ingress({ defaultBackend: backend(), ingressClassName: 'Nginx' }),
    want: [['FieldValueInvalid', `spec.ingressClassName: Invalid value: "Nginx": ${SUBDOMAIN}`]],
  },
  {
    name: 'class annotation disagrees with ingressClassName',
    obj: ingress({ defaultBackend: backend(), ingressClassName: 'nginx' }, { 'kubernetes.io/ingress.class': 'traefik' }),
    want: [['FieldValueInvalid', 'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']],
  },
  {
    name: 'update keeps an already-invalid secret name',
    old: ingress({ defaultBackend: backend(), tls: [{ secretName: 'Bad_Name' }] }),
    obj: ingress({ defaultBackend: backend(), tls: [{ secretName: 'Bad_Name' }] }),
    want: [],
  },
  {
    name: 'update may not introduce an invalid secret name',
    old: ingress({ defaultBackend: backend(), tls: [{ secretName: 'ok' }] }),
    obj: ingress({ defaultBackend: backend(), tls: [{ secretName: 'Bad_Name' }] }),
    want: [['FieldValueInvalid', `spec.tls[0].secretName: Invalid value: "Bad_Name": ${SUBDOMAIN}`]],
  },
];

const ingressClass = (spec: object) => ({ metadata: { name: 'c' }, spec });
const ingressClassRows: Row[] = [
  { name: 'valid', obj: ingressClass({ controller: 'example.com/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } }), want: [] },
  { name: 'namespaced parameters', obj: ingressClass({ controller: 'example.com/ingress', parameters: { kind: 'P', name: 'p', scope: 'Namespace', namespace: 'ns' } }), want: [] },
  { name: 'controller required', obj: ingressClass({}), want: [['FieldValueRequired', 'spec.controller: Required value']] },
  {
    name: 'controller not domain-prefixed',
    obj: ingressClass({ controller: 'nginx' }),
    want: [['FieldValueInvalid', 'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']],
  },
  {
    name: 'controller too long',
    obj: ingressClass({ controller: `example.com/${'a'.repeat(250)}` }),
    want: [['FieldValueTooLong', 'spec.controller: Too long: may not be more than 250 bytes']],
  },
  {
    name: 'namespace scope needs a namespace',
    obj: ingressClass({ controller: 'example.com/i', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } }),
    want: [['FieldValueRequired', "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]],
  },
  {
    name: 'cluster scope (the default) forbids a namespace',
    obj: ingressClass({ controller: 'example.com/i', parameters: { kind: 'P', name: 'p', namespace: 'ns' } }),
    want: [['FieldValueForbidden', "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"]],
  },
  {
    name: 'bad scope',
    obj: ingressClass({ controller: 'example.com/i', parameters: { kind: 'P', name: 'p', scope: 'World' } }),
    want: [['FieldValueNotSupported', 'spec.parameters.scope: Unsupported value: "World": supported values: "Cluster", "Namespace"']],
  },
  {
    name: 'controller immutable',
    old: ingressClass({ controller: 'example.com/a' }),
    obj: ingressClass({ controller: 'example.com/b' }),
    want: [['FieldValueInvalid', 'spec.controller: Invalid value: "example.com/b": field is immutable']],
  },
];

const np = (spec: object) => ({ metadata: { name: 'n', namespace: 'd' }, spec });
const npRows: Row[] = [
  {
    name: 'valid',
    obj: np({
      podSelector: { matchLabels: { app: 'a' } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { r: 'x' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80 }, { port: 'http' }, { port: 1000, endPort: 2000, protocol: 'UDP' }] }],
      egress: [{ to: [{ ipBlock: { cidr: 'fd00::/8', except: ['fd00:1::/32'] } }] }],
    }),
    want: [],
  },
  {
    name: 'protocol',
    obj: np({ ingress: [{ ports: [{ protocol: 'ICMP' }] }] }),
    want: [['FieldValueNotSupported', 'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"']],
  },
  {
    name: 'endPort below port',
    obj: np({ ingress: [{ ports: [{ port: 100, endPort: 90 }] }] }),
    want: [['FieldValueInvalid', 'spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`']],
  },
  {
    name: 'endPort with a named port or none',
    obj: np({ egress: [{ ports: [{ port: 'http', endPort: 90 }, { endPort: 90 }] }] }),
    want: [
      ['FieldValueInvalid', 'spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric'],
      ['FieldValueInvalid', 'spec.egress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is not specified'],
    ],
  },
  {
    name: 'empty peer',
    obj: np({ ingress: [{ from: [{}] }] }),
    want: [['FieldValueRequired', 'spec.ingress[0].from[0]: Required value: must specify a peer']],
  },
  {
    name: 'ipBlock with another peer',
    obj: np({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }),
    want: [['FieldValueForbidden', 'spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer']],
  },
  {
    name: 'ipBlock cidr',
    obj: np({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }, { ipBlock: { cidr: '' } }] }] }),
    want: [
      ['FieldValueInvalid', 'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.300/8": not a valid CIDR'],
      ['FieldValueRequired', 'spec.ingress[0].from[1].ipBlock.cidr: Required value'],
    ],
  },
  {
    name: 'except must be a strict subset',
    obj: np({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16', '192.168.0.0/24', 'x'] } }] }] }),
    want: [
      ['FieldValueInvalid', 'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`'],
      ['FieldValueInvalid', 'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`'],
      ['FieldValueInvalid', 'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "x": not a valid CIDR'],
    ],
  },
  {
    name: 'too many policyTypes',
    obj: np({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
    want: [['FieldValueInvalid', 'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes']],
  },
  {
    name: 'unknown policyType',
    obj: np({ policyTypes: ['Sideways'] }),
    want: [['FieldValueNotSupported', 'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"']],
  },
  {
    name: 'pod selector operator',
    obj: np({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } }),
    want: [['FieldValueInvalid', 'spec.podSelector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator']],
  },
];

for (const [kind, rows] of [
  ['networking.k8s.io/Ingress', ingressRows],
  ['networking.k8s.io/IngressClass', ingressClassRows],
  ['networking.k8s.io/NetworkPolicy', npRows],
] as const) {
  describe(kind, () => {
    for (const r of rows) test(r.name, () => assert.deepEqual(validateAs(kind, r.obj, r.old), r.want));
  });
}
