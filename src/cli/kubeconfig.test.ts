import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseKubeconfig, readKubeconfig } from '../client/kubeconfig.js';
import { buildKubeconfig, defaultKubeconfigPath, kubeconfigEntry, mergeKubeconfig, mergeKubeconfigText, writeKubeconfig, type KubeconfigEntry } from './kubeconfig.js';

const execFileP = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n';

function entry(server = 'https://127.0.0.1:6443'): KubeconfigEntry {
  return kubeconfigEntry({ server, caPEM: CA, clientCertPEM: CERT, clientKeyPEM: KEY });
}

/** A file kubectl might have written, with another cluster, a comment, and a field we do not know. */
const OTHER = `# managed by hand
apiVersion: v1
clusters:
- cluster:
    server: https://prod.example:443
    insecure-skip-tls-verify: yes
  name: prod
contexts:
- context:
    cluster: prod
    namespace: web
    user: prod-admin
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: prod-admin
  user:
    token: abc
    auth-provider:
      config:
        expiry: 2024-01-01T00:00:00Z
x-unknown-top-level:
  keep: me
  mode: 0644
`;

void describe('kubeconfig', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kubelite-kubeconfig-'));
  after(() => rm(root, { recursive: true, force: true }));
  let n = 0;
  const fresh = (): string => join(root, `case${n++}`);

  void it('builds a v1 Config with embedded base64 certificates', () => {
    const cfg = buildKubeconfig({ server: 'https://127.0.0.1:6443', caPEM: CA, clientCertPEM: CERT, clientKeyPEM: KEY });
    assert.equal(cfg.apiVersion, 'v1');
    assert.equal(cfg.kind, 'Config');
    assert.equal(cfg['current-context'], 'kubelite');
    assert.deepEqual(cfg.contexts, [{ context: { cluster: 'kubelite', user: 'kubelite' }, name: 'kubelite' }]);
    assert.equal(Buffer.from(cfg.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), CA);
    assert.equal(Buffer.from(cfg.users[0]?.user['client-key-data'] ?? '', 'base64').toString(), KEY);
    assert.throws(() => kubeconfigEntry({ server: 'not a url', caPEM: CA, clientCertPEM: CERT, clientKeyPEM: KEY }));
  });

  void it('writeKubeconfig writes 0600 YAML that reads back equal, with no line folding', async () => {
    const path = join(fresh(), 'nested', 'admin.conf');
    const cfg = buildKubeconfig({ server: 'https://127.0.0.1:6443', caPEM: CA.repeat(20), clientCertPEM: CERT, clientKeyPEM: KEY });
    await writeKubeconfig(path, cfg);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readKubeconfig(path), cfg);
    const text = await readFile(path, 'utf8');
    assert.ok(text.split('\n').some((l) => l.length > 500), 'long base64 stays on one line');
    assert.equal(existsSync(`${path}.lock`), false);
  });

  void it('merge into a missing file creates it (and its directory) with current-context set', async () => {
    const path = join(fresh(), '.kube', 'config');
    const got = await mergeKubeconfig(path, entry(), { setCurrent: true });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(got['current-context'], 'kubelite');
    assert.deepEqual(got.clusters.map((c) => c.name), ['kubelite']);
    assert.deepEqual(got.users.map((u) => u.name), ['kubelite']);
    assert.deepEqual(got.contexts, [{ context: { cluster: 'kubelite', user: 'kubelite' }, name: 'kubelite' }]);
    assert.equal(got.apiVersion, 'v1');
    assert.equal(got.kind, 'Config');
    assert.deepEqual(await readKubeconfig(path), got);
  });

  void it('merge into a file with other contexts keeps them, their text, and unknown fields', async () => {
    const path = join(fresh(), 'config');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, OTHER, { mode: 0o644 });
    const got = await mergeKubeconfig(path, entry(), { setCurrent: true });
    assert.deepEqual(got.clusters.map((c) => c.name), ['prod', 'kubelite']);
    assert.deepEqual(got.users.map((u) => u.name), ['prod-admin', 'kubelite']);
    assert.deepEqual(got.contexts.map((c) => c.name), ['prod', 'kubelite']);
    assert.equal(got['current-context'], 'kubelite');
    assert.deepEqual(got['x-unknown-top-level'], { keep: 'me', mode: 0o644 });
    assert.deepEqual(got.contexts[0], { context: { cluster: 'prod', namespace: 'web', user: 'prod-admin' }, name: 'prod' });
    const text = await readFile(path, 'utf8');
    // Untouched entries keep their YAML 1.1 forms exactly: `yes` is still a bool to kubectl, 0644 still octal.
    assert.match(text, /^# managed by hand$/m);
    assert.match(text, /insecure-skip-tls-verify: yes$/m);
    assert.match(text, /expiry: 2024-01-01T00:00:00Z$/m);
    assert.match(text, /mode: 0644$/m);
    assert.equal(got.clusters[0]?.cluster['insecure-skip-tls-verify'], true);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  void it('re-merge replaces the same-name entries in place', async () => {
    const path = join(fresh(), 'config');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, OTHER);
    await mergeKubeconfig(path, entry('https://127.0.0.1:6443'));
    const text1 = await readFile(path, 'utf8');
    const got = await mergeKubeconfig(path, entry('https://127.0.0.1:7443'));
    assert.deepEqual(got.clusters.map((c) => c.name), ['prod', 'kubelite']);
    assert.equal(got.clusters.length, 2);
    assert.equal(got.users.length, 2);
    assert.equal(got.contexts.length, 2);
    assert.equal(got.clusters[1]?.cluster.server, 'https://127.0.0.1:7443');
    // Same entry twice: byte-identical file (idempotent).
    await mergeKubeconfig(path, entry('https://127.0.0.1:6443'));
    assert.equal(await readFile(path, 'utf8'), text1);
  });

  void it('setCurrent false leaves current-context alone', () => {
    const got = parseKubeconfig(mergeKubeconfigText(OTHER, entry(), { setCurrent: false }));
    assert.equal(got['current-context'], 'prod');
    assert.deepEqual(got.contexts.map((c) => c.name), ['prod', 'kubelite']);
  });

  void it('handles null lists, flow lists and empty files as kubectl writes them', () => {
    const cases = [
      { name: 'empty file', text: '' },
      { name: 'comment only', text: '# nothing\n' },
      { name: 'null lists', text: 'apiVersion: v1\nkind: Config\nclusters: null\nusers: null\ncontexts: null\ncurrent-context: ""\n' },
      { name: 'flow lists', text: 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n' },
      { name: 'JSON', text: '{"apiVersion":"v1","kind":"Config","clusters":[],"users":[],"contexts":[]}' },
    ];
    for (const c of cases) {
      const got = parseKubeconfig(mergeKubeconfigText(c.text, entry()));
      assert.deepEqual(got.clusters.map((x) => x.name), ['kubelite'], c.name);
      assert.equal(got['current-context'], 'kubelite', c.name);
    }
  });

  void it('refuses to clobber a file that is not a kubeconfig', () => {
    assert.throws(() => mergeKubeconfigText('- a\n- b\n', entry()), /not a YAML mapping/);
    assert.throws(() => mergeKubeconfigText('clusters: {a: 1}\n', entry()), /not a list/);
    assert.throws(() => mergeKubeconfigText('a: [\n', entry()), /not valid YAML/);
  });

  void it('quotes new strings that YAML 1.1 would read as something else', () => {
    const e: KubeconfigEntry = { name: 'on', cluster: { server: 'https://h' }, user: { token: '0644' } };
    const text = mergeKubeconfigText(undefined, e);
    const got = parseKubeconfig(text);
    assert.equal(got['current-context'], 'on');
    assert.equal(got.users[0]?.user.token, '0644');
  });

  void it('writes through a symlinked kubeconfig, keeping the link', async () => {
    const dir = fresh();
    await mkdir(dir, { recursive: true });
    const real = join(dir, 'real-config');
    const link = join(dir, 'config');
    await writeFile(real, OTHER);
    await symlink(real, link);
    await mergeKubeconfig(link, entry());
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.deepEqual(parseKubeconfig(await readFile(real, 'utf8')).clusters.map((c) => c.name), ['prod', 'kubelite']);
  });

  void it('defaultKubeconfigPath follows kubectl: --kubeconfig, then $KUBECONFIG, then ~/.kube/config', async () => {
    const dir = fresh();
    await mkdir(dir, { recursive: true });
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await writeFile(b, '');
    const cases = [
      { name: 'explicit', opts: { explicit: '/x', env: { KUBECONFIG: a } }, want: '/x' },
      { name: 'home', opts: { env: {}, home: '/home/u' }, want: join('/home/u', '.kube', 'config') },
      { name: 'single entry, missing', opts: { env: { KUBECONFIG: a } }, want: a },
      { name: 'first existing', opts: { env: { KUBECONFIG: [a, b].join(delimiter) } }, want: b },
      { name: 'none exist: last', opts: { env: { KUBECONFIG: [a, join(dir, 'c')].join(delimiter) } }, want: join(dir, 'c') },
    ];
    for (const c of cases) assert.equal(defaultKubeconfigPath(c.opts), c.want, c.name);
  });

  void it('kubectl reads the merged file (contexts, current-context, types)', async (t) => {
    if (!existsSync(KUBECTL)) {
      t.skip(`${KUBECTL} not installed`);
      return;
    }
    const path = join(fresh(), 'config');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, OTHER);
    await mergeKubeconfig(path, entry());
    const env = { ...process.env, HOME: root, KUBECONFIG: '' };
    const { stdout } = await execFileP(KUBECTL, ['--kubeconfig', path, 'config', 'get-contexts', '-o', 'name'], { env });
    assert.deepEqual(stdout.trim().split('\n').sort(), ['kubelite', 'prod']);
    const cur = await execFileP(KUBECTL, ['--kubeconfig', path, 'config', 'current-context'], { env });
    assert.equal(cur.stdout.trim(), 'kubelite');
  });
});
