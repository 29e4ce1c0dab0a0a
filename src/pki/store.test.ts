import assert from 'node:assert/strict';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { CA_VALIDITY_MS, CERT_VALIDITY_MS } from './ca.js';
import { loadOrCreatePKI, PKIError } from './store.js';

const ALL = ['ca.key', 'ca.crt', 'apiserver.key', 'apiserver.crt', 'admin.key', 'admin.crt'];

void describe('loadOrCreatePKI', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kubelite-pki-'));
  after(() => rm(root, { recursive: true, force: true }));
  let n = 0;
  const freshDir = (): string => join(root, `d${n++}`);
  const base = { hostname: 'testhost' };

  void it('creates the kubeadm layout with private keys 0600 on first run', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    const pki = await loadOrCreatePKI({ ...base, dir, clock });
    assert.deepEqual([...pki.written].sort(), [...ALL].sort());
    assert.equal(pki.dir, join(dir, 'pki'));
    for (const f of ALL) {
      const st = await stat(join(dir, 'pki', f));
      assert.equal(st.mode & 0o777, f.endsWith('.key') ? 0o600 : 0o644, f);
    }
    assert.equal((await stat(join(dir, 'pki'))).mode & 0o777, 0o700);
    assert.equal(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'), pki.ca.certPEM);
    assert.equal(pki.ca.notAfter.getTime(), clock.now() + CA_VALIDITY_MS);
    assert.equal(pki.apiserver.notAfter.getTime(), clock.now() + CERT_VALIDITY_MS);
    assert.equal(pki.admin.notAfter.getTime(), clock.now() + CERT_VALIDITY_MS);
    assert.equal(new NodeX509(pki.admin.certPEM).subject, 'O=system:masters\nCN=kubernetes-admin');
    assert.ok(pki.apiserver.sans.dns.includes('testhost'));
    assert.ok(pki.apiserver.sans.ips.includes('10.96.0.1'));
    assert.equal(pki.admin.user, 'kubernetes-admin');
    assert.deepEqual(pki.admin.groups, ['system:masters']);
    // No temp or lock files are left behind.
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(join(dir, 'pki'))).sort(), [...ALL].sort());
  });

  void it('loads everything unchanged on later runs', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    const first = await loadOrCreatePKI({ ...base, dir, clock });
    clock.advance(30 * 24 * 3600 * 1000);
    const second = await loadOrCreatePKI({ ...base, dir, clock });
    assert.deepEqual(second.written, []);
    assert.equal(second.ca.certPEM, first.ca.certPEM);
    assert.equal(second.ca.keyPEM, first.ca.keyPEM);
    assert.equal(second.apiserver.certPEM, first.apiserver.certPEM);
    assert.equal(second.admin.keyPEM, first.admin.keyPEM);
    assert.deepEqual(second.apiserver.notAfter, first.apiserver.notAfter);
  });

  void it('re-issues only the serving certificate when the requested SANs grow', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    const first = await loadOrCreatePKI({ ...base, dir, clock });
    const grown = await loadOrCreatePKI({ ...base, dir, clock, extraSANs: ['api.example.com', '192.0.2.10'] });
    assert.deepEqual(grown.written, ['apiserver.key', 'apiserver.crt']);
    assert.equal(grown.ca.certPEM, first.ca.certPEM);
    assert.equal(grown.admin.certPEM, first.admin.certPEM);
    assert.ok(grown.apiserver.sans.dns.includes('api.example.com'));
    assert.ok(grown.apiserver.sans.ips.includes('192.0.2.10'));
    // A subset of what the certificate already covers needs nothing new.
    const same = await loadOrCreatePKI({ ...base, dir, clock, extraSANs: ['192.0.2.10'] });
    assert.deepEqual(same.written, []);
    // A new service IP or hostname does.
    const moved = await loadOrCreatePKI({ ...base, dir, clock, serviceIP: '10.43.0.1' });
    assert.deepEqual(moved.written, ['apiserver.key', 'apiserver.crt']);
    const renamed = await loadOrCreatePKI({ dir, clock, hostname: 'other-host', serviceIP: '10.43.0.1' });
    assert.deepEqual(renamed.written, ['apiserver.key', 'apiserver.crt']);
  });

  void it('re-issues expired leaves but keeps the CA', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    const first = await loadOrCreatePKI({ ...base, dir, clock });
    clock.advance(CERT_VALIDITY_MS + 1000);
    const later = await loadOrCreatePKI({ ...base, dir, clock });
    assert.deepEqual([...later.written].sort(), ['admin.crt', 'admin.key', 'apiserver.crt', 'apiserver.key']);
    assert.equal(later.ca.certPEM, first.ca.certPEM);
    assert.ok(later.apiserver.notAfter.getTime() > clock.now());
  });

  void it('re-issues a leaf that is missing, corrupt or does not match its key', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    const first = await loadOrCreatePKI({ ...base, dir, clock });
    await unlink(join(dir, 'pki', 'admin.key'));
    await writeFile(join(dir, 'pki', 'apiserver.crt'), 'garbage');
    const fixed = await loadOrCreatePKI({ ...base, dir, clock });
    assert.deepEqual([...fixed.written].sort(), ['admin.crt', 'admin.key', 'apiserver.crt', 'apiserver.key']);
    // A key swapped under a certificate (crash between the two writes) is caught too.
    await writeFile(join(dir, 'pki', 'admin.key'), first.apiserver.keyPEM);
    const swapped = await loadOrCreatePKI({ ...base, dir, clock });
    assert.deepEqual(swapped.written, ['admin.key', 'admin.crt']);
  });

  void it('re-issues every leaf when the CA is regenerated (no ca.crt)', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    const first = await loadOrCreatePKI({ ...base, dir, clock });
    await unlink(join(dir, 'pki', 'ca.crt'));
    const again = await loadOrCreatePKI({ ...base, dir, clock });
    assert.deepEqual([...again.written].sort(), [...ALL].sort());
    assert.notEqual(again.ca.certPEM, first.ca.certPEM);
  });

  void it('refuses a CA certificate without its key, an expired CA, and bad options', async () => {
    const dir = freshDir();
    const clock = new FakeClock();
    await loadOrCreatePKI({ ...base, dir, clock });
    const later = new FakeClock(clock.now() + CA_VALIDITY_MS + 1);
    await assert.rejects(loadOrCreatePKI({ ...base, dir, clock: later }), (e: unknown) => e instanceof PKIError && e.code === 'CAExpired');
    await unlink(join(dir, 'pki', 'ca.key'));
    await assert.rejects(loadOrCreatePKI({ ...base, dir, clock }), (e: unknown) => e instanceof PKIError && e.code === 'CAKeyMissing');
    await writeFile(join(dir, 'pki', 'ca.key'), 'not a key');
    await assert.rejects(loadOrCreatePKI({ ...base, dir, clock }), (e: unknown) => e instanceof PKIError && e.code === 'CAInvalid');
    await assert.rejects(loadOrCreatePKI({ dir: freshDir(), serviceIP: 'ten' }), (e: unknown) => e instanceof PKIError && e.code === 'InvalidOptions');
    await assert.rejects(loadOrCreatePKI({ dir: '' }), (e: unknown) => e instanceof PKIError && e.code === 'InvalidOptions');
  });

  void it('concurrent callers on one dir agree on one CA', async () => {
    const dir = freshDir();
    const results = await Promise.all([1, 2, 3].map(() => loadOrCreatePKI({ ...base, dir })));
    assert.equal(new Set(results.map((r) => r.ca.certPEM)).size, 1);
    assert.equal(results.filter((r) => r.written.length > 0).length, 1);
  });
});
