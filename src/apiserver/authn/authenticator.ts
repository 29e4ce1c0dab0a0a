/**
 * Authentication: who is calling. Each authenticator looks at the request and either
 * recognises the caller or abstains; the first that recognises wins. A request no
 * authenticator recognises is anonymous (system:anonymous), as upstream with
 * --anonymous-auth=true, and authorization then decides what anonymous may do.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface Authenticator {
  /** Returns the user, undefined to abstain, or throws a StatusError (401) for bad credentials. */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined> | UserInfo | undefined;
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * x509 client certificates: Node's TLS layer has already verified the chain against
 * the cluster CA (requestCert with the CA as trust root); CN is the user, O the groups.
 */
export class ClientCertAuthenticator implements Authenticator {
  // A connection's peer certificate cannot change, and reading it costs tens of
  // microseconds, so the identity is remembered per socket (keep-alive clients reuse it).
  private readonly bySocket = new WeakMap<TLSSocket, UserInfo | null>();

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const sock = req.socket as TLSSocket;
    const known = this.bySocket.get(sock);
    if (known !== undefined) return known ?? undefined;
    const user = this.fromSocket(sock);
    this.bySocket.set(sock, user ?? null);
    return user;
  }

  private fromSocket(sock: TLSSocket): UserInfo | undefined {
    if (typeof sock.getPeerCertificate !== 'function' || !sock.authorized) return undefined;
    const cert = sock.getPeerCertificate();
    if (cert === null || cert.subject === undefined) return undefined;
    const cn = cert.subject.CN;
    const o = cert.subject.O as string | string[] | undefined;
    const name = Array.isArray(cn) ? cn[0] : cn;
    if (name === undefined || name === '') return undefined;
    const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
    groups.push('system:authenticated');
    return { name, groups };
  }
}

export class UnionAuthenticator implements Authenticator {
  constructor(private readonly chain: Authenticator[]) {}
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    for (const a of this.chain) {
      const u = await a.authenticate(req);
      if (u !== undefined) return u;
    }
    return undefined;
  }
}
