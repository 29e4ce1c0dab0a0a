/**
 * The identity a verified client certificate asserts, read the way the API
 * server's x509 authenticator reads it: the subject's CommonName is the user
 * name and each Organization is a group. Chain verification is Node's job
 * (tls.createServer with requestCert and ca); this only reads the subject.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface CertIdentity {
  user: string;
  groups: string[];
}

/** Node gives a subject field as a string, or as an array when it occurs more than once. */
function values(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * User (CN) and groups (every O, in order) from a peer certificate as returned
 * by tls.TLSSocket.getPeerCertificate(). Returns undefined when there is no
 * certificate or its CN is empty: upstream treats such a certificate as
 * carrying no identity (the request stays unauthenticated), not as an error.
 * Call it only for a socket whose chain verified (socket.authorized).
 */
export function identityFromPeerCertificate(cert: PeerCertificate | Record<string, never> | undefined): CertIdentity | undefined {
  if (cert === undefined || !('subject' in cert) || cert.subject === undefined) return undefined;
  const subject = cert.subject as unknown as Record<string, unknown>;
  // A multi-valued CN is not something Go's pkix.Name keeps either: it keeps the last.
  const cn = values(subject['CN']);
  const user = cn[cn.length - 1];
  if (user === undefined || user === '') return undefined;
  return { user, groups: values(subject['O']) };
}

/**
 * The identity of the client on a TLS socket, or undefined unless the socket
 * presented a certificate that verified against the server's CA.
 */
export function identityFromTLSSocket(socket: TLSSocket): CertIdentity | undefined {
  if (!socket.authorized) return undefined;
  return identityFromPeerCertificate(socket.getPeerCertificate());
}
