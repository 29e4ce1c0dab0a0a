/**
 * End to end: the generated certificates in real TLS stacks. A Node https server
 * serves with apiserver.crt and asks for client certificates from our CA; Node's
 * https client and the real kubectl (Go's crypto/tls) connect with admin.crt.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildKubeconfig, writeKubeconfig } from '../cli/kubeconfig.js';
import { createCA } from './ca.js';
import { issueClientCert } from './certs.js';
import { identityFromTLSSocket, type CertIdentity } from './identity.js';
import { loadOrCreatePKI, type PKI } from './store.js';

const execFileP = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+kubelite', platform: 'linux/amd64' };

interface Seen {
  identity: CertIdentity | undefined;
  authorized: boolean;
  authorizationError: string | undefined;
  path: string;
}

/** Starts an https server on 127.0.0.1 (and optionally ::1) that answers /version and records who called. */
async function startServer(pki: PKI, rejectUnauthorized: boolean, host = '127.0.0.1'): Promise<{ server: https.Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = https.createServer(
    { cert: pki.apiserver.certPEM, key: pki.apiserver.keyPEM, ca: pki.ca.certPEM, requestCert: true, rejectUnauthorized },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      seen.push({
        identity: identityFromTLSSocket(socket),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError == null ? undefined : String(socket.authorizationError),
        path: req.url ?? '',
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(VERSION));
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port, seen };
}

function get(opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ method: 'GET', path: '/version', agent: false, ...opts }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function close(server: https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

void describe('generated PKI over TLS', async () => {
  let root: string;
  let pki: PKI;
  let strict: Awaited<ReturnType<typeof startServer>>;
  let lenient: Awaited<ReturnType<typeof startServer>>;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubelite-tls-'));
    pki = await loadOrCreatePKI({ dir: root, hostname: 'kubelite-test-host' });
    strict = await startServer(pki, true);
    lenient = await startServer(pki, false);
  });
  after(async () => {
    await close(strict.server);
    await close(lenient.server);
    await rm(root, { recursive: true, force: true });
  });

  const admin = (): https.RequestOptions => ({ ca: pki.ca.certPEM, cert: pki.admin.certPEM, key: pki.admin.keyPEM });

  void it('Node client verifies the server by IP and name, and the server sees CN/O', async () => {
    const byIP = await get({ host: '127.0.0.1', port: strict.port, ...admin() });
    assert.equal(byIP.status, 200);
    assert.deepEqual(JSON.parse(byIP.body), VERSION);
    const byName = await get({ host: '127.0.0.1', servername: 'localhost', port: strict.port, ...admin() });
    assert.equal(byName.status, 200);
    const byHostname = await get({ host: '127.0.0.1', servername: 'kubelite-test-host', port: strict.port, ...admin() });
    assert.equal(byHostname.status, 200);
    const svc = await get({ host: '127.0.0.1', servername: 'kubernetes.default.svc.cluster.local', port: strict.port, ...admin() });
    assert.equal(svc.status, 200);
    assert.deepEqual(strict.seen.at(-1), {
      identity: { user: 'kubernetes-admin', groups: ['system:masters'] },
      authorized: true,
      authorizationError: undefined,
      path: '/version',
    });
  });

  void it('Node client refuses the server for a name not in its SANs or without our CA', async () => {
    await assert.rejects(get({ host: '127.0.0.1', servername: 'not-in-sans.example', port: strict.port, ...admin() }), /altnames|Hostname/i);
    const other = await createCA();
    await assert.rejects(get({ host: '127.0.0.1', port: strict.port, ...admin(), ca: other.certPEM }), /self[- ]signed|unable to (get|verify)/i);
  });

  void it('server rejects a client certificate from a different CA (and a missing one)', async () => {
    const other = await createCA();
    const intruder = await issueClientCert({ ca: other, user: 'kubernetes-admin', groups: ['system:masters'] });
    const before = strict.seen.length;
    await assert.rejects(get({ host: '127.0.0.1', port: strict.port, ca: pki.ca.certPEM, cert: intruder.certPEM, key: intruder.keyPEM }));
    await assert.rejects(get({ host: '127.0.0.1', port: strict.port, ca: pki.ca.certPEM }));
    assert.equal(strict.seen.length, before, 'no request reached the handler');
  });

  void it('with rejectUnauthorized false the foreign certificate carries no identity', async () => {
    const other = await createCA();
    const intruder = await issueClientCert({ ca: other, user: 'kubernetes-admin', groups: ['system:masters'] });
    const r = await get({ host: '127.0.0.1', port: lenient.port, ca: pki.ca.certPEM, cert: intruder.certPEM, key: intruder.keyPEM });
    assert.equal(r.status, 200);
    const s = lenient.seen.at(-1);
    assert.equal(s?.authorized, false);
    assert.equal(s?.identity, undefined);
    assert.match(s?.authorizationError ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i);
    await get({ host: '127.0.0.1', port: lenient.port, ...admin() });
    assert.deepEqual(lenient.seen.at(-1)?.identity, { user: 'kubernetes-admin', groups: ['system:masters'] });
  });

  void it('IPv6 loopback is covered', async (t) => {
    let v6: Awaited<ReturnType<typeof startServer>>;
    try {
      v6 = await startServer(pki, true, '::1');
    } catch {
      t.skip('no IPv6 loopback');
      return;
    }
    try {
      const r = await get({ host: '::1', port: v6.port, ...admin() });
      assert.equal(r.status, 200);
    } finally {
      await close(v6.server);
    }
  });

  void it('real kubectl (Go crypto/tls) accepts the CA, serving cert and ECDSA client key', async (t) => {
    if (!existsSync(KUBECTL)) {
      t.skip(`${KUBECTL} not installed`);
      return;
    }
    const kubeconfig = join(root, 'admin.conf');
    await writeKubeconfig(
      kubeconfig,
      buildKubeconfig({
        server: `https://127.0.0.1:${strict.port}`,
        caPEM: pki.ca.certPEM,
        clientCertPEM: pki.admin.certPEM,
        clientKeyPEM: pki.admin.keyPEM,
      }),
    );
    const env = { ...process.env, HOME: root, KUBECONFIG: '' };
    const kubectl = (...args: string[]) =>
      execFileP(KUBECTL, ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], { env, timeout: 20_000 });

    const before = strict.seen.length;
    const { stdout } = await kubectl('get', '--raw', '/version');
    assert.deepEqual(JSON.parse(stdout), VERSION);
    // kubectl also asks /version?timeout=5s for its own skew check; every call must carry the admin identity.
    const calls = strict.seen.slice(before);
    assert.ok(calls.length >= 1);
    for (const c of calls) {
      assert.match(c.path, /^\/version/);
      assert.deepEqual(c.identity, { user: 'kubernetes-admin', groups: ['system:masters'] });
    }

    // Go checks DNS SANs as well as IP SANs.
    const byName = await kubectl('--server', `https://localhost:${strict.port}`, 'get', '--raw', '/version');
    assert.deepEqual(JSON.parse(byName.stdout), VERSION);
    // ...and refuses a name the certificate does not cover.
    await assert.rejects(
      kubectl('--server', `https://127.0.0.1:${strict.port}`, '--tls-server-name', 'nope.example', 'get', '--raw', '/version'),
      /certificate is valid for|not nope\.example/,
    );
  });
});
