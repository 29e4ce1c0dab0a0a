import assert from 'node:assert/strict';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { CA_VALIDITY_MS, CERT_BACKDATE_MS, CERT_VALIDITY_MS, createCA, loadCA } from './ca.js';
import {
  canonicalIP,
  certificateSANs,
  isSignedBy,
  issueClientCert,
  issueServingCert,
  missingSANs,
  servingSANs,
} from './certs.js';
import { keyMatchesCertificate, privateKeyFromPEM, x509 } from './keys.js';

void describe('canonicalIP', () => {
  const cases = [
    { name: 'ipv4', in: '10.96.0.1', want: '10.96.0.1' },
    { name: 'ipv6 loopback', in: '::1', want: '::1' },
    { name: 'ipv6 expanded', in: '0:0:0:0:0:0:0:1', want: '::1' },
    { name: 'ipv6 upper case', in: 'FE80:0:0:0:0:0:0:1', want: 'fe80::1' },
    { name: 'ipv6 longest zero run', in: '2001:db8:0:0:1:0:0:0', want: '2001:db8:0:0:1::' },
    { name: 'ipv6 no run', in: '1:2:3:4:5:6:7:8', want: '1:2:3:4:5:6:7:8' },
    { name: 'ipv4-mapped', in: '::ffff:10.0.0.1', want: '10.0.0.1' },
    { name: 'embedded dotted quad', in: '64:ff9b::192.0.2.33', want: '64:ff9b::c000:221' },
  ];
  for (const c of cases) void it(c.name, () => assert.equal(canonicalIP(c.in), c.want));
  void it('rejects a name', () => assert.throws(() => canonicalIP('localhost')));
});

void describe('servingSANs', () => {
  void it('has kubeadm names, loopback, the service IP and extras without duplicates', () => {
    const got = servingSANs({ hostname: 'Node-1', serviceIP: '10.43.0.1', extraSANs: ['api.example.com', '192.168.1.10', 'localhost', '0:0::1'] });
    assert.deepEqual(got, {
      dns: [
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
        'node-1',
        'api.example.com',
      ],
      ips: ['127.0.0.1', '::1', '10.43.0.1', '192.168.1.10'],
    });
  });
  void it('defaults the service IP to 10.96.0.1 and honours dnsDomain', () => {
    const got = servingSANs({ dnsDomain: 'corp.local' });
    assert.ok(got.ips.includes('10.96.0.1'));
    assert.ok(got.dns.includes('kubernetes.default.svc.corp.local'));
    assert.ok(!got.dns.includes('kubernetes.default.svc.cluster.local'));
  });
  void it('missingSANs reports only what is absent', () => {
    const have = { dns: ['a', 'b'], ips: ['::1'] };
    assert.deepEqual(missingSANs(have, { dns: ['B', 'c'], ips: ['0::1', '10.0.0.1'] }), { dns: ['c'], ips: ['10.0.0.1'] });
  });
});

void describe('CA and leaf certificates', async () => {
  const clock = new FakeClock(Date.UTC(2024, 0, 1));
  const ca = await createCA({ clock });

  void it('CA is self-signed, CN kubernetes, 10 years, critical CA basicConstraints and keyCertSign', async () => {
    const n = new NodeX509(ca.certPEM);
    assert.equal(n.ca, true);
    assert.equal(n.subject, 'CN=kubernetes');
    assert.equal(n.issuer, 'CN=kubernetes');
    assert.ok(n.verify(n.publicKey));
    assert.equal(ca.cert.notBefore.getTime(), clock.now() - CERT_BACKDATE_MS);
    assert.equal(ca.cert.notAfter.getTime(), clock.now() + CA_VALIDITY_MS);
    const bc = ca.cert.getExtension(x509.BasicConstraintsExtension);
    assert.ok(bc?.ca && bc.critical);
    const ku = ca.cert.getExtension(x509.KeyUsagesExtension);
    assert.ok(ku?.critical);
    assert.equal(ku?.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature);
    assert.ok(ca.cert.getExtension(x509.SubjectKeyIdentifierExtension));
    assert.match(ca.keyPEM, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(keyMatchesCertificate(ca.keyPEM, ca.cert));
  });

  void it('loadCA round-trips and refuses a mismatched key', async () => {
    const again = await loadCA(ca.certPEM, ca.keyPEM);
    assert.equal(again.keyId, ca.keyId);
    const other = await createCA({ clock });
    await assert.rejects(loadCA(ca.certPEM, other.keyPEM), /does not match/);
  });

  void it('serving certificate: serverAuth, SANs, 1 year, AKI = CA SKI, signed by the CA', async () => {
    const s = await issueServingCert({ ca, clock, hostname: 'myhost', serviceIP: '10.96.0.1', extraSANs: ['203.0.113.7'] });
    const n = new NodeX509(s.certPEM);
    assert.equal(n.ca, false);
    assert.equal(n.subject, 'CN=kube-apiserver');
    assert.ok(n.verify(new NodeX509(ca.certPEM).publicKey));
    assert.deepEqual(n.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    for (const h of ['localhost', 'kubernetes.default.svc.cluster.local', 'myhost']) assert.equal(n.checkHost(h), h);
    for (const ip of ['127.0.0.1', '::1', '10.96.0.1', '203.0.113.7']) assert.equal(n.checkIP(ip), ip);
    assert.equal(n.checkHost('elsewhere.example'), undefined);
    assert.equal(s.notAfter.getTime(), clock.now() + CERT_VALIDITY_MS);
    assert.equal(s.cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId, ca.keyId);
    const ku = s.cert.getExtension(x509.KeyUsagesExtension);
    assert.equal(ku?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    assert.deepEqual(certificateSANs(s.cert).ips, ['127.0.0.1', '::1', '10.96.0.1', '203.0.113.7']);
    assert.ok(await isSignedBy(s.cert, ca));
    assert.ok(keyMatchesCertificate(s.keyPEM, s.cert));
    await privateKeyFromPEM(s.keyPEM);
  });

  void it('client certificate: CN = user, O = groups, clientAuth', async () => {
    const c = await issueClientCert({ ca, clock, user: 'kubernetes-admin', groups: ['system:masters', 'team, with comma'] });
    const n = new NodeX509(c.certPEM);
    assert.deepEqual(n.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.deepEqual(c.cert.subjectName.getField('CN'), ['kubernetes-admin']);
    assert.deepEqual(c.cert.subjectName.getField('O'), ['system:masters', 'team, with comma']);
    assert.ok(await isSignedBy(c.cert, ca));
    const stranger = await createCA({ clock });
    assert.equal(await isSignedBy(c.cert, stranger), false);
  });

  void it('a leaf never outlives its CA', async () => {
    const shortCA = await createCA({ clock, validityMs: 60_000 });
    const c = await issueClientCert({ ca: shortCA, clock, user: 'u' });
    assert.equal(c.notAfter.getTime(), shortCA.cert.notAfter.getTime());
  });

  void it('rejects an empty user or group', async () => {
    await assert.rejects(issueClientCert({ ca, user: '' }));
    await assert.rejects(issueClientCert({ ca, user: 'u', groups: [''] }));
  });

  void it('signs leaves with an RSA CA brought from kubeadm', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const signKey = await privateKeyFromPEM(keyPEM);
    const { webcrypto, createPublicKey } = await import('node:crypto');
    const spki = createPublicKey(keyPEM).export({ type: 'spki', format: 'der' });
    const pub = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
    const caCert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=kubernetes',
      keys: { privateKey: signKey, publicKey: pub },
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const rsaCA = await loadCA(caCert.toString('pem'), keyPEM);
    const c = await issueClientCert({ ca: rsaCA, user: 'u' });
    assert.ok(new NodeX509(c.certPEM).verify(new NodeX509(rsaCA.certPEM).publicKey));
  });
});
