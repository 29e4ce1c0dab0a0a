/**
 * The cluster PKI on disk, in kubeadm's layout under DIR/pki:
 *
 *   ca.crt ca.key                 cluster CA (CN kubernetes, 10 years)
 *   apiserver.crt apiserver.key   API server serving certificate (1 year)
 *   admin.crt admin.key           cluster-admin client (CN kubernetes-admin, O system:masters)
 *
 * First run creates everything. Later runs load the files unchanged, except:
 * - the serving certificate is re-issued when it no longer covers the requested
 *   SANs, has expired (or is not yet valid), does not match its key, or was not
 *   signed by the CA on disk;
 * - the admin certificate is re-issued when missing, expired, unmatched, signed
 *   by another CA, or carrying another identity.
 * The CA itself is never replaced once its certificate exists: everything that
 * trusts it (kubeconfigs, joined nodes) would silently break. A missing CA key
 * or an expired CA is an error to be fixed by hand (kubeadm behaves the same).
 *
 * Keys are written 0600 and certificates 0644, each atomically (temp file +
 * rename), key before certificate; a crash between the two leaves a pair that
 * does not match, which the next run detects and re-issues. Concurrent callers
 * on one DIR are serialised by DIR/pki/.lock.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { realClock, type Clock } from '../util/clock.js';
import { withLockFile, writeFileAtomic } from './atomic.js';
import { createCA, loadCA, type CertificateAuthority } from './ca.js';
import {
  ADMIN_GROUPS,
  ADMIN_USER,
  certificateSANs,
  DEFAULT_SERVICE_IP,
  isSignedBy,
  issueClientCert,
  issueServingCert,
  missingSANs,
  parseIssuedCert,
  servingSANs,
  type IssuedCert,
  type SANs,
} from './certs.js';
import { keyMatchesCertificate, x509 } from './keys.js';

export { identityFromPeerCertificate, identityFromTLSSocket, type CertIdentity } from './identity.js';

export type PKIErrorCode = 'InvalidOptions' | 'CAKeyMissing' | 'CAInvalid' | 'CAExpired';

/** A PKI failure with a stable code callers can branch on. */
export class PKIError extends Error {
  override readonly name = 'PKIError';
  constructor(
    readonly code: PKIErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadOrCreatePKIOptions {
  /** Data directory; the PKI lives in DIR/pki. */
  dir: string;
  /** Source of "now" for validity and expiry; default the wall clock. */
  clock?: Clock;
  /** First IP of the service CIDR; default 10.96.0.1. */
  serviceIP?: string;
  /** More SANs for the serving certificate (IP literals become IP SANs, the rest DNS). */
  extraSANs?: readonly string[];
  /** Hostname SAN; default os.hostname(). Pass "" to leave it out. */
  hostname?: string;
  /** Cluster DNS domain for kubernetes.default.svc.<domain>; default cluster.local. */
  dnsDomain?: string;
}

/** One certificate/key pair as stored. */
export interface StoredPair {
  certPath: string;
  keyPath: string;
  certPEM: string;
  keyPEM: string;
  notBefore: Date;
  notAfter: Date;
}

export interface PKI {
  /** DIR/pki */
  dir: string;
  ca: StoredPair;
  apiserver: StoredPair & { sans: SANs };
  admin: StoredPair & { user: string; groups: string[] };
  /** The CA, ready to sign more certificates (nodes, renewals). */
  authority: CertificateAuthority;
  /** Base names of the files written by this call, in write order; empty when all were loaded. */
  written: string[];
}

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  apiserverCert: 'apiserver.crt',
  apiserverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
} as const;

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function validate(opts: LoadOrCreatePKIOptions): void {
  if (typeof opts.dir !== 'string' || opts.dir === '') throw new PKIError('InvalidOptions', 'dir is required');
  if (opts.serviceIP !== undefined && isIP(opts.serviceIP) === 0) {
    throw new PKIError('InvalidOptions', `serviceIP "${opts.serviceIP}" is not an IP address`);
  }
  for (const s of opts.extraSANs ?? []) {
    if (typeof s !== 'string' || s.trim() === '') throw new PKIError('InvalidOptions', 'extraSANs entries must be non-empty strings');
  }
  if (opts.dnsDomain !== undefined && opts.dnsDomain === '') throw new PKIError('InvalidOptions', 'dnsDomain must not be empty');
}

/** The stored leaf when it is usable as is, else why it must be re-issued. */
async function checkLeaf(
  certPEM: string | undefined,
  keyPEM: string | undefined,
  ca: CertificateAuthority,
  now: number,
): Promise<{ problem: string } | { leaf: IssuedCert }> {
  if (certPEM === undefined || keyPEM === undefined) return { problem: 'missing' };
  let leaf: IssuedCert;
  try {
    leaf = parseIssuedCert(certPEM, keyPEM);
  } catch {
    return { problem: 'unparseable' };
  }
  if (!keyMatchesCertificate(keyPEM, leaf.cert)) return { problem: 'key does not match certificate' };
  if (!(await isSignedBy(leaf.cert, ca))) return { problem: 'not signed by the cluster CA' };
  if (now >= leaf.notAfter.getTime()) return { problem: 'expired' };
  if (now < leaf.notBefore.getTime()) return { problem: 'not yet valid' };
  return { leaf };
}

function subjectValues(cert: x509.X509Certificate, attr: string): string[] {
  return cert.subjectName.getField(attr);
}

/**
 * Loads the PKI under DIR/pki, creating or re-issuing what is missing or no
 * longer fit (see the module comment). Safe to call on every start.
 */
export async function loadOrCreatePKI(opts: LoadOrCreatePKIOptions): Promise<PKI> {
  validate(opts);
  const clock = opts.clock ?? realClock;
  const dir = join(opts.dir, 'pki');
  const path = (name: string): string => join(dir, name);
  const sanOpts = {
    hostname: opts.hostname ?? osHostname(),
    serviceIP: opts.serviceIP ?? DEFAULT_SERVICE_IP,
    ...(opts.dnsDomain !== undefined ? { dnsDomain: opts.dnsDomain } : {}),
    extraSANs: opts.extraSANs ?? [],
  };
  const wantSANs = servingSANs(sanOpts);

  await mkdir(dir, { recursive: true, mode: 0o700 });
  return withLockFile(path('.pki'), async () => {
    const written: string[] = [];
    const save = async (certName: string, keyName: string, certPEM: string, keyPEM: string): Promise<void> => {
      await writeFileAtomic(path(keyName), keyPEM, { mode: 0o600 });
      written.push(keyName);
      await writeFileAtomic(path(certName), certPEM, { mode: 0o644 });
      written.push(certName);
    };

    // The CA.
    const caCertPEM = await readOptional(path(FILES.caCert));
    const caKeyPEM = await readOptional(path(FILES.caKey));
    let ca: CertificateAuthority;
    if (caCertPEM === undefined) {
      // No CA certificate: first run (a lone ca.key is the remains of a crash mid-creation).
      ca = await createCA({ clock });
      await save(FILES.caCert, FILES.caKey, ca.certPEM, ca.keyPEM);
    } else {
      if (caKeyPEM === undefined) {
        throw new PKIError('CAKeyMissing', `${path(FILES.caCert)} exists but ${path(FILES.caKey)} does not; an external CA is not supported`);
      }
      try {
        ca = await loadCA(caCertPEM, caKeyPEM);
      } catch (err) {
        throw new PKIError('CAInvalid', `cannot load the cluster CA from ${dir}: ${(err as Error).message}`);
      }
      if (clock.now() >= ca.cert.notAfter.getTime()) {
        throw new PKIError('CAExpired', `the cluster CA in ${path(FILES.caCert)} expired at ${ca.cert.notAfter.toISOString()}`);
      }
    }
    const now = clock.now();

    // The API server's serving certificate.
    let apiserver: IssuedCert;
    const servingCheck = await checkLeaf(await readOptional(path(FILES.apiserverCert)), await readOptional(path(FILES.apiserverKey)), ca, now);
    const missing = 'leaf' in servingCheck ? missingSANs(certificateSANs(servingCheck.leaf.cert), wantSANs) : undefined;
    if ('leaf' in servingCheck && missing !== undefined && missing.dns.length === 0 && missing.ips.length === 0) {
      apiserver = servingCheck.leaf;
    } else {
      apiserver = await issueServingCert({ ca, clock, ...sanOpts });
      await save(FILES.apiserverCert, FILES.apiserverKey, apiserver.certPEM, apiserver.keyPEM);
    }

    // The cluster-admin client certificate.
    let admin: IssuedCert;
    const adminCheck = await checkLeaf(await readOptional(path(FILES.adminCert)), await readOptional(path(FILES.adminKey)), ca, now);
    const sameIdentity =
      'leaf' in adminCheck &&
      subjectValues(adminCheck.leaf.cert, 'CN').join('\n') === ADMIN_USER &&
      subjectValues(adminCheck.leaf.cert, 'O').join('\n') === ADMIN_GROUPS.join('\n');
    if ('leaf' in adminCheck && sameIdentity) {
      admin = adminCheck.leaf;
    } else {
      admin = await issueClientCert({ ca, user: ADMIN_USER, groups: ADMIN_GROUPS, clock });
      await save(FILES.adminCert, FILES.adminKey, admin.certPEM, admin.keyPEM);
    }

    const pair = (leaf: { certPEM: string; keyPEM: string; notBefore: Date; notAfter: Date }, c: string, k: string): StoredPair => ({
      certPath: path(c),
      keyPath: path(k),
      certPEM: leaf.certPEM,
      keyPEM: leaf.keyPEM,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
    });
    return {
      dir,
      ca: pair({ certPEM: ca.certPEM, keyPEM: ca.keyPEM, notBefore: ca.cert.notBefore, notAfter: ca.cert.notAfter }, FILES.caCert, FILES.caKey),
      apiserver: { ...pair(apiserver, FILES.apiserverCert, FILES.apiserverKey), sans: certificateSANs(apiserver.cert) },
      admin: { ...pair(admin, FILES.adminCert, FILES.adminKey), user: ADMIN_USER, groups: [...ADMIN_GROUPS] },
      authority: ca,
      written,
    };
  });
}
