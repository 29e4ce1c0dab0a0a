/** The cluster PKI: CA, serving and client certificates, their on-disk store, and client identity. */
export { CA_VALIDITY_MS, CERT_BACKDATE_MS, CERT_VALIDITY_MS, createCA, loadCA, type CertificateAuthority, type CreateCAOptions } from './ca.js';
export {
  ADMIN_GROUPS,
  ADMIN_USER,
  APISERVER_COMMON_NAME,
  DEFAULT_DNS_DOMAIN,
  DEFAULT_SERVICE_IP,
  canonicalIP,
  certificateSANs,
  isSignedBy,
  issueClientCert,
  issueServingCert,
  missingSANs,
  parseIssuedCert,
  servingSANs,
  type ClientCertOptions,
  type IssuedCert,
  type SANs,
  type ServingCertOptions,
} from './certs.js';
export { identityFromPeerCertificate, identityFromTLSSocket, type CertIdentity } from './identity.js';
export { keyMatchesCertificate, privateKeyFromPEM, privateKeyToPEM } from './keys.js';
export { loadOrCreatePKI, PKIError, type LoadOrCreatePKIOptions, type PKI, type PKIErrorCode, type StoredPair } from './store.js';
export { withLockFile, writeFileAtomic } from './atomic.js';
