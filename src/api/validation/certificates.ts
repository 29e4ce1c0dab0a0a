/**
 * certificates.k8s.io/v1 CertificateSigningRequest, as upstream's
 * pkg/apis/certificates/validation for v1 writes: the request is a PEM "CERTIFICATE
 * REQUEST" whose self-signature verifies, usages are known and unique, the signer name is
 * "<domain>/<path>", and a requested duration is at least ten minutes.
 */
import { createPublicKey, verify } from 'node:crypto';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../apimachinery/validation.js';
import { goBytes } from './gofmt.js';
import { invalidGo, isObj, str, type Obj } from './util.js';

export const KEY_USAGES = [
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
].sort();
const LEGACY_SIGNER = 'kubernetes.io/legacy-unknown';
const MIN_EXPIRATION_SECONDS = 600;
const SUBDOMAIN_MAX = 253;

// ---------------------------------------------------------------------------
// Just enough DER to find the signed part, the key and the signature of a CSR.

interface TLV {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTLV(buf: Buffer, pos: number): TLV {
  if (pos + 2 > buf.length) throw new Error('short');
  const tag = buf[pos] as number;
  let len = buf[pos + 1] as number;
  let off = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || off + n > buf.length) throw new Error('length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[off + i] as number);
    off += n;
  }
  if (off + len > buf.length) throw new Error('truncated');
  return { tag, start: pos, contentStart: off, end: off + len };
}

function children(buf: Buffer, t: TLV): TLV[] {
  const out: TLV[] = [];
  for (let p = t.contentStart; p < t.end; ) {
    const c = readTLV(buf, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

function oid(buf: Buffer, t: TLV): string {
  const b = buf.subarray(t.contentStart, t.end);
  const parts: number[] = [Math.floor((b[0] as number) / 40), (b[0] as number) % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + ((b[i] as number) & 0x7f);
    if (!((b[i] as number) & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const SIGNATURE_HASHES: Record<string, { hash: string | null; ecdsa: boolean }> = {
  '1.2.840.10045.4.3.2': { hash: 'sha256', ecdsa: true },
  '1.2.840.10045.4.3.3': { hash: 'sha384', ecdsa: true },
  '1.2.840.10045.4.3.4': { hash: 'sha512', ecdsa: true },
  '1.2.840.113549.1.1.5': { hash: 'sha1', ecdsa: false },
  '1.2.840.113549.1.1.11': { hash: 'sha256', ecdsa: false },
  '1.2.840.113549.1.1.12': { hash: 'sha384', ecdsa: false },
  '1.2.840.113549.1.1.13': { hash: 'sha512', ecdsa: false },
  '1.3.101.112': { hash: null, ecdsa: false },
};

/** ParseCSR + CheckSignature: undefined when the request is a well-signed CSR, else the reason. */
export function checkCSR(pem: Buffer): string | undefined {
  const m = /-----BEGIN ([^-\n]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem.toString('latin1'));
  if (m === null || m[1] !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  const der = Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64');
  let info: TLV;
  let algorithm: string;
  let signature: Buffer;
  let spki: Buffer;
  try {
    const top = readTLV(der, 0);
    const [tbs, alg, sig] = children(der, top);
    if (top.tag !== 0x30 || top.end !== der.length || tbs === undefined || alg === undefined || sig === undefined || sig.tag !== 0x03) throw new Error('shape');
    info = tbs;
    const algOid = children(der, alg)[0];
    if (algOid === undefined || algOid.tag !== 0x06) throw new Error('alg');
    algorithm = oid(der, algOid);
    signature = der.subarray(sig.contentStart + 1, sig.end);
    const key = children(der, tbs)[2];
    if (key === undefined || key.tag !== 0x30) throw new Error('key');
    spki = der.subarray(key.start, key.end);
  } catch {
    return 'asn1: structure error: malformed certificate request';
  }
  const how = SIGNATURE_HASHES[algorithm];
  if (how === undefined) return 'x509: cannot verify signature: algorithm unimplemented';
  try {
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const ok = verify(how.hash, der.subarray(info.start, info.end), key, signature);
    if (!ok) return how.ecdsa ? 'x509: ECDSA verification failure' : key.asymmetricKeyType === 'ed25519' ? 'x509: Ed25519 verification failure' : 'crypto/rsa: verification error';
  } catch {
    return 'x509: cannot verify signature: algorithm unimplemented';
  }
  return undefined;
}

/** ValidateSignerName: "<DNS domain with at least two labels>/<DNS subdomain path>". */
export function validateSignerName(name: string, path: string): FieldError[] {
  if (name === '') return [field.required(path)];
  const segments = name.split('/');
  if (segments.length !== 2) return [field.invalid(path, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const [domain, rest] = segments as [string, string];
  const errs: FieldError[] = [];
  if (Buffer.byteLength(domain) > SUBDOMAIN_MAX) errs.push(field.tooLong(path, SUBDOMAIN_MAX));
  const labels = domain.split('.');
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length > 0) {
      for (const msg of e) errs.push(field.invalid(path, domain, `validating label ${JSON.stringify(l)}: ${msg}`));
      break;
    }
  }
  if (labels.length < 2) errs.push(field.invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  for (const l of rest.split('.')) {
    const e = isDNS1123Subdomain(l);
    if (e.length > 0) {
      for (const msg of e) errs.push(field.invalid(path, rest, `validating label ${JSON.stringify(l)}: ${msg}`));
      break;
    }
  }
  // signer name + a suffix must still fit a metadata.name.
  const maxPath = SUBDOMAIN_MAX - Buffer.byteLength(domain) - 1;
  if (Buffer.byteLength(rest) > maxPath) errs.push(field.tooLong(path, maxPath));
  return errs;
}

function requestBytes(v: unknown): Buffer | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
}

export function validateCSR(csr: Obj): FieldError[] {
  const spec: Obj = isObj(csr.spec) ? csr.spec : {};
  const errs: FieldError[] = [];
  const request = requestBytes(spec.request);
  const why = checkCSR(request ?? Buffer.alloc(0));
  if (why !== undefined) errs.push(invalidGo('spec.request', goBytes(request), why));
  const usages = Array.isArray(spec.usages) ? spec.usages.map((u: unknown) => str(u)) : [];
  if (usages.length === 0) errs.push(field.required('spec.usages'));
  usages.forEach((u: string, i: number) => {
    if (!KEY_USAGES.includes(u)) errs.push(field.notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
  });
  const seen = new Set<string>();
  usages.forEach((u: string, i: number) => {
    if (seen.has(u)) errs.push(field.duplicate(`spec.usages[${i}]`, u));
    seen.add(u);
  });
  const signer = str(spec.signerName);
  if (signer === LEGACY_SIGNER) errs.push(field.invalid('spec.signerName', signer, 'the legacy signerName is not allowed via this API version'));
  else errs.push(...validateSignerName(signer, 'spec.signerName'));
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    errs.push(field.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  return errs;
}

/**
 * Upstream relaxes update checks to what the stored object already had (unknown or
 * repeated usages, the legacy signer), so approving or signing an old request never
 * fails on its spec; an unchanged spec is therefore not re-checked.
 */
export function validateCSRUpdate(csr: Obj, old: Obj): FieldError[] {
  const spec: Obj = isObj(csr.spec) ? csr.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const same = ['request', 'usages', 'signerName', 'expirationSeconds'].every((k) => JSON.stringify(spec[k] ?? null) === JSON.stringify(oldSpec[k] ?? null));
  return same ? [] : validateCSR(csr);
}
