/**
 * The cluster certificate authority, laid out as kubeadm does: one self-signed
 * CA (CN "kubernetes", 10 years) that signs the API server's serving certificate
 * and every client certificate (1 year each). Validity starts CERT_BACKDATE_MS
 * before "now", as kubeadm backdates, so small clock differences between
 * machines do not make a fresh certificate "not yet valid".
 */
import { realClock, type Clock } from '../util/clock.js';
import { type CryptoKey, generateKeyPair, keyMatchesCertificate, KEY_ALGORITHM, privateKeyFromPEM, privateKeyToPEM, x509 } from './keys.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** kubeadm's CACertificateValidityPeriod: 10 x 365 days. */
export const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
/** kubeadm's CertificateValidityPeriod for signed (leaf) certificates: 365 days. */
export const CERT_VALIDITY_MS = 365 * DAY_MS;
/** kubeadm's CertificateBackdate: notBefore is set this far before creation time. */
export const CERT_BACKDATE_MS = 5 * 60 * 1000;

/** Common name kubeadm gives the cluster CA. */
export const DEFAULT_CA_COMMON_NAME = 'kubernetes';

/** A CA that can sign: its certificate, its private key, and both as PEM. */
export interface CertificateAuthority {
  readonly cert: x509.X509Certificate;
  readonly privateKey: CryptoKey;
  readonly certPEM: string;
  readonly keyPEM: string;
  /** Hex subjectKeyIdentifier, copied into the authorityKeyIdentifier of what it signs. */
  readonly keyId: string;
}

export interface CreateCAOptions {
  /** Subject CN; default "kubernetes" (kubeadm). */
  commonName?: string;
  /** Source of "now"; default the wall clock. */
  clock?: Clock;
  /** Lifetime; default CA_VALIDITY_MS (10 years). */
  validityMs?: number;
}

/** Generates a new self-signed CA certificate and key. */
export async function createCA(opts: CreateCAOptions = {}): Promise<CertificateAuthority> {
  const clock = opts.clock ?? realClock;
  const commonName = opts.commonName ?? DEFAULT_CA_COMMON_NAME;
  const validityMs = opts.validityMs ?? CA_VALIDITY_MS;
  if (commonName === '') throw new Error('CA common name must not be empty');
  if (!(validityMs > 0)) throw new Error(`CA validity must be positive, got ${validityMs}`);

  const keys = await generateKeyPair();
  const now = clock.now();
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    notBefore: new Date(now - CERT_BACKDATE_MS),
    notAfter: new Date(now + validityMs),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      ski,
    ],
  });
  return {
    cert,
    privateKey: keys.privateKey,
    certPEM: cert.toString('pem') + '\n',
    keyPEM: await privateKeyToPEM(keys.privateKey),
    keyId: ski.keyId,
  };
}

/**
 * Reads a CA from PEM. Throws when the certificate is not a CA, or the key is
 * not the certificate's key. The first certificate in certPEM is the CA.
 */
export async function loadCA(certPEM: string, keyPEM: string): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(certPEM);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (bc === null || !bc.ca) throw new Error(`certificate "${cert.subject}" is not a CA (basicConstraints CA:TRUE missing)`);
  if (!keyMatchesCertificate(keyPEM, cert)) throw new Error(`CA key does not match CA certificate "${cert.subject}"`);
  const privateKey = await privateKeyFromPEM(keyPEM);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId = ski !== null ? ski.keyId : (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey)).keyId;
  return { cert, privateKey, certPEM, keyPEM, keyId };
}
