/**
 * Leaf certificates signed by the cluster CA, as kubeadm makes them:
 *
 * - the API server's serving certificate (CN "kube-apiserver", serverAuth) whose
 *   SANs name every way a client reaches the API: localhost, the in-cluster
 *   service names kubernetes[.default[.svc[.<dnsDomain>]]], the machine's
 *   hostname, loopback IPs, the first IP of the service CIDR, plus extras;
 * - client certificates (clientAuth) whose subject carries the identity the
 *   API server's x509 authenticator reads: CN = user name, O = groups.
 *
 * Every leaf gets a fresh ECDSA P-256 key and lives 1 year (CERT_VALIDITY_MS),
 * starting CERT_BACKDATE_MS in the past.
 */
import { isIP } from 'node:net';
import { realClock, type Clock } from '../util/clock.js';
import { CERT_BACKDATE_MS, CERT_VALIDITY_MS, type CertificateAuthority } from './ca.js';
import { generateKeyPair, KEY_ALGORITHM, privateKeyToPEM, x509 } from './keys.js';

/** Common name kubeadm gives the API server's serving certificate. */
export const APISERVER_COMMON_NAME = 'kube-apiserver';
/** kubeadm's admin.conf user before 1.29 (and super-admin.conf's since): CN kubernetes-admin, O system:masters. */
export const ADMIN_USER = 'kubernetes-admin';
export const ADMIN_GROUPS: readonly string[] = ['system:masters'];
/** The first IP of kubeadm's default service CIDR 10.96.0.0/12. */
export const DEFAULT_SERVICE_IP = '10.96.0.1';
export const DEFAULT_DNS_DOMAIN = 'cluster.local';

/** Subject alternative names, split by kind. IPs are in canonical textual form (see canonicalIP). */
export interface SANs {
  dns: string[];
  ips: string[];
}

/** A freshly issued or loaded leaf certificate with its key. */
export interface IssuedCert {
  readonly cert: x509.X509Certificate;
  readonly certPEM: string;
  readonly keyPEM: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface ServingSANOptions {
  /** The machine's hostname (added as a DNS SAN when non-empty). */
  hostname?: string;
  /** First IP of the service CIDR (the "kubernetes" Service's ClusterIP); default 10.96.0.1. */
  serviceIP?: string;
  /** Cluster DNS domain; default "cluster.local". */
  dnsDomain?: string;
  /** More names: each IP literal becomes an IP SAN, anything else a DNS SAN. */
  extraSANs?: readonly string[];
}

export interface ServingCertOptions extends ServingSANOptions {
  ca: CertificateAuthority;
  clock?: Clock;
  /** Default CERT_VALIDITY_MS (1 year). */
  validityMs?: number;
  /** Default "kube-apiserver". */
  commonName?: string;
}

export interface ClientCertOptions {
  ca: CertificateAuthority;
  /** Becomes the subject CN: the user name the API server authenticates. */
  user: string;
  /** Each becomes an O in the subject: the user's groups. */
  groups?: readonly string[];
  clock?: Clock;
  /** Default CERT_VALIDITY_MS (1 year). */
  validityMs?: number;
}

/**
 * Canonical text for an IP address so SANs compare equal however they were
 * written: IPv4 dotted quad; IPv6 fully zero-compressed lower case ("::1");
 * IPv4-mapped IPv6 becomes plain IPv4, as Go treats them alike. Throws on a non-IP.
 */
export function canonicalIP(ip: string): string {
  const kind = isIP(ip);
  if (kind === 4) return ip.split('.').map((o) => String(Number(o))).join('.');
  if (kind !== 6) throw new Error(`not an IP address: "${ip}"`);
  const groups = expandIPv6(ip);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [a = 0, b = 0] = [groups[6], groups[7]];
    return [a >> 8, a & 255, b >> 8, b & 255].join('.');
  }
  // Zero-compress the longest run (length >= 2) of zero groups, leftmost on ties (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function expandIPv6(ip: string): number[] {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // A trailing dotted quad stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const o = tail.split('.').map(Number);
    s = `${s.slice(0, lastColon + 1)}${(((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16)}:${(((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16)}`;
  }
  const [head = '', rest] = s.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(fill).fill('0'), ...right].map((h) => parseInt(h, 16));
}

function addUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/**
 * The SANs kubeadm puts in apiserver.crt, adapted to a single machine:
 * DNS localhost, kubernetes, kubernetes.default, kubernetes.default.svc,
 * kubernetes.default.svc.<dnsDomain>, <hostname>; IP 127.0.0.1, ::1, <serviceIP>;
 * then extraSANs. DNS names are lower-cased; duplicates are dropped.
 */
export function servingSANs(opts: ServingSANOptions = {}): SANs {
  const dnsDomain = opts.dnsDomain ?? DEFAULT_DNS_DOMAIN;
  const serviceIP = opts.serviceIP ?? DEFAULT_SERVICE_IP;
  const out: SANs = { dns: [], ips: [] };
  for (const n of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${dnsDomain}`]) {
    addUnique(out.dns, n.toLowerCase());
  }
  if (opts.hostname !== undefined && opts.hostname !== '') addUnique(out.dns, opts.hostname.toLowerCase());
  for (const ip of ['127.0.0.1', '::1', serviceIP]) addUnique(out.ips, canonicalIP(ip));
  for (const extra of opts.extraSANs ?? []) {
    const v = extra.trim();
    if (v === '') throw new Error('extra SAN must not be empty');
    if (isIP(v) !== 0) addUnique(out.ips, canonicalIP(v));
    else addUnique(out.dns, v.toLowerCase());
  }
  return out;
}

/** The DNS and IP SANs a certificate carries (other name kinds are ignored). */
export function certificateSANs(cert: x509.X509Certificate): SANs {
  const out: SANs = { dns: [], ips: [] };
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (ext === null) return out;
  for (const n of ext.names.items) {
    if (n.type === 'dns') addUnique(out.dns, n.value.toLowerCase());
    else if (n.type === 'ip') addUnique(out.ips, canonicalIP(n.value));
  }
  return out;
}

/** Names in want that have is missing; empty when have covers want. Exact match, no wildcard expansion. */
export function missingSANs(have: SANs, want: SANs): SANs {
  return {
    dns: want.dns.filter((d) => !have.dns.includes(d.toLowerCase())),
    ips: want.ips.filter((ip) => !have.ips.includes(canonicalIP(ip))),
  };
}

/** True when cert carries a signature made by ca's key (signature only; dates are not checked). */
export async function isSignedBy(cert: x509.X509Certificate, ca: CertificateAuthority): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  extensions: x509.Extension[],
  clock: Clock,
  validityMs: number,
): Promise<IssuedCert> {
  if (!(validityMs > 0)) throw new Error(`certificate validity must be positive, got ${validityMs}`);
  const keys = await generateKeyPair();
  const now = clock.now();
  // A leaf never outlives the CA that signed it.
  const notAfter = new Date(Math.min(now + validityMs, ca.cert.notAfter.getTime()));
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: ca.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    ...(ca.privateKey.algorithm.name === 'ECDSA' ? { signingAlgorithm: { name: 'ECDSA', hash: KEY_ALGORITHM.hash } } : {}),
    notBefore: new Date(now - CERT_BACKDATE_MS),
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...extensions,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.AuthorityKeyIdentifierExtension(ca.keyId),
    ],
  });
  return {
    cert,
    certPEM: cert.toString('pem') + '\n',
    keyPEM: await privateKeyToPEM(keys.privateKey),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** Issues the API server's serving certificate (serverAuth) with servingSANs(opts). */
export async function issueServingCert(opts: ServingCertOptions): Promise<IssuedCert> {
  const sans = servingSANs(opts);
  const names: x509.JsonGeneralNames = [
    ...sans.dns.map((value) => ({ type: 'dns' as const, value })),
    ...sans.ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  return issue(
    opts.ca,
    [{ CN: [opts.commonName ?? APISERVER_COMMON_NAME] }],
    [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
    opts.clock ?? realClock,
    opts.validityMs ?? CERT_VALIDITY_MS,
  );
}

/**
 * Issues a client certificate (clientAuth) for user, with one O per group.
 * The subject is ordered O..., CN, as Go's crypto/x509 (and so kubeadm) writes it.
 */
export async function issueClientCert(opts: ClientCertOptions): Promise<IssuedCert> {
  if (opts.user === '') throw new Error('client certificate user (CN) must not be empty');
  const groups = opts.groups ?? [];
  if (groups.some((g) => g === '')) throw new Error('client certificate groups (O) must not be empty strings');
  const subject: x509.JsonName = [...groups.map((g) => ({ O: [g] })), { CN: [opts.user] }];
  return issue(
    opts.ca,
    subject,
    [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
    opts.clock ?? realClock,
    opts.validityMs ?? CERT_VALIDITY_MS,
  );
}

/** Parses the first certificate of a PEM string into an IssuedCert together with its key PEM. */
export function parseIssuedCert(certPEM: string, keyPEM: string): IssuedCert {
  const cert = new x509.X509Certificate(certPEM);
  return { cert, certPEM, keyPEM, notBefore: cert.notBefore, notAfter: cert.notAfter };
}
