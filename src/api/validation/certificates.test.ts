import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { validateAs, type Row } from './testing.js';
import { checkCSR } from './certificates.js';

x509.cryptoProvider.set(webcrypto);

let pem = '';

before(async () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=alice,O=dev', keys, signingAlgorithm: alg });
  pem = csr.toString('pem');
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const csr = (spec: object) => ({ metadata: { name: 'alice' }, spec: { request: b64(pem), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec } });

test('checkCSR accepts a signed request and refuses a tampered signature', () => {
  assert.equal(checkCSR(Buffer.from(pem)), undefined);
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 3] = (der[der.length - 3] as number) ^ 0xff;
  const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  assert.equal(checkCSR(Buffer.from(bad)), 'x509: ECDSA verification failure');
  assert.equal(checkCSR(Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n')), 'asn1: structure error: malformed certificate request');
});

const rows = (): Row[] => [
  { name: 'valid', obj: csr({ expirationSeconds: 3600 }), want: [] },
  { name: 'valid custom signer', obj: csr({ signerName: 'example.com/my-signer', usages: ['digital signature', 'key encipherment', 'server auth'] }), want: [] },
  {
    name: 'request is not a CSR PEM',
    obj: csr({ request: b64('-a') }),
    want: [['FieldValueInvalid', 'spec.request: Invalid value: []byte{0x2d, 0x61}: PEM block type must be CERTIFICATE REQUEST']],
  },
  {
    name: 'usages required, known and unique',
    obj: csr({ usages: ['client auth', 'clientauth', 'client auth'] }),
    want: [
      [
        'FieldValueNotSupported',
        'spec.usages[1]: Unsupported value: "clientauth": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"',
      ],
      ['FieldValueDuplicate', 'spec.usages[2]: Duplicate value: "client auth"'],
    ],
  },
  { name: 'no usages', obj: csr({ usages: [] }), want: [['FieldValueRequired', 'spec.usages: Required value']] },
  {
    name: 'signer name',
    obj: csr({ signerName: 'my-signer' }),
    want: [['FieldValueInvalid', `spec.signerName: Invalid value: "my-signer": must be a fully qualified domain and path of the form 'example.com/signer-name'`]],
  },
  {
    name: 'signer domain needs two labels',
    obj: csr({ signerName: 'example/signer' }),
    want: [['FieldValueInvalid', 'spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots']],
  },
  { name: 'signer required', obj: csr({ signerName: '' }), want: [['FieldValueRequired', 'spec.signerName: Required value']] },
  {
    name: 'legacy signer',
    obj: csr({ signerName: 'kubernetes.io/legacy-unknown' }),
    want: [['FieldValueInvalid', 'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version']],
  },
  {
    name: 'expiration below ten minutes',
    obj: csr({ expirationSeconds: 599 }),
    want: [['FieldValueInvalid', 'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)']],
  },
  { name: 'update with an unchanged spec (approval) is not re-checked', old: csr({ usages: ['client auth', 'client auth'] }), obj: csr({ usages: ['client auth', 'client auth'] }), want: [] },
];

test('CertificateSigningRequest table', () => {
  for (const r of rows()) assert.deepEqual(validateAs('certificates.k8s.io/CertificateSigningRequest', r.obj, r.old), r.want, r.name);
});
