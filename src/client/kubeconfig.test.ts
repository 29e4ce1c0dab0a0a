import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKubeconfig, readKubeconfig, restOptionsFromKubeconfig } from './kubeconfig.js';

describe('parseKubeconfig', () => {
  const cases: { name: string; text: string; want: Record<string, unknown> }[] = [
    { name: 'an empty file is an empty Config', text: '', want: { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], 'current-context': '' } },
    { name: 'a comment only', text: '# nothing\n', want: { clusters: [], 'current-context': '' } },
    { name: 'null lists become empty lists', text: 'clusters: null\nusers: ~\ncontexts:\n', want: { clusters: [], users: [], contexts: [] } },
    { name: 'JSON', text: '{"apiVersion":"v1","kind":"Config","current-context":"a"}', want: { 'current-context': 'a' } },
    {
      name: 'YAML 1.1 scalars, as kubectl reads them; timestamps stay strings',
      text: 'clusters:\n- name: c\n  cluster:\n    server: https://h\n    insecure-skip-tls-verify: yes\nx-mode: 0644\nx-at: 2024-01-01T00:00:00Z\n',
      want: { clusters: [{ name: 'c', cluster: { server: 'https://h', 'insecure-skip-tls-verify': true } }], 'x-mode': 0o644, 'x-at': '2024-01-01T00:00:00Z' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = parseKubeconfig(c.text);
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k], v, k);
    });
  }

  const refusals: { name: string; text: string; want: RegExp }[] = [
    { name: 'a list', text: '- a\n- b\n', want: /not a YAML mapping/ },
    { name: 'clusters not a list', text: 'clusters: {a: 1}\n', want: /"clusters" is not a list/ },
    { name: 'invalid YAML', text: 'a: [\n', want: /./ },
  ];
  for (const c of refusals) {
    test(`refuses ${c.name}`, () => assert.throws(() => parseKubeconfig(c.text), c.want));
  }
});

describe('restOptionsFromKubeconfig', () => {
  const yaml = `
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: ${Buffer.from('CA').toString('base64')}
    tls-server-name: kubernetes
- name: files
  cluster:
    server: https://10.0.0.2:6443
    certificate-authority: ca.crt
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: abc
- name: x
  user:
    exec: { command: foo }
- name: f
  user:
    client-certificate: certs/client.crt
    client-key: certs/client.key
- name: t
  user:
    tokenFile: token
contexts:
- name: a
  context: { cluster: c, user: u, namespace: team }
- name: b
  context: { cluster: c, user: x }
- name: relative
  context: { cluster: files, user: f }
- name: token-file
  context: { cluster: c, user: t }
- name: no-server
  context: { cluster: missing, user: u }
current-context: a
`;
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubelite-kubeconfig-'));
    await writeFile(join(dir, 'ca.crt'), 'CA FILE');
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'certs', 'client.crt'), 'CERT FILE');
    await writeFile(join(dir, 'certs', 'client.key'), 'KEY FILE');
    await writeFile(join(dir, 'token'), 'file-token\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: { name: string; context?: string; want: Record<string, unknown> }[] = [
    { name: 'the current context', want: { server: 'https://10.0.0.1:6443', ca: 'CA', token: 'abc', tlsServerName: 'kubernetes', namespace: 'team' } },
    {
      name: 'relative file paths resolve against the kubeconfig directory',
      context: 'relative',
      want: { server: 'https://10.0.0.2:6443', ca: 'CA FILE', cert: 'CERT FILE', key: 'KEY FILE', insecureSkipTLSVerify: true },
    },
    { name: 'tokenFile, trimmed', context: 'token-file', want: { token: 'file-token' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const o = restOptionsFromKubeconfig(parseKubeconfig(yaml), dir, c.context) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.equal(o[k], v, k);
    });
  }

  const refusals: { name: string; context: string; want: RegExp }[] = [
    { name: 'exec credentials, by name', context: 'b', want: /uses exec, which kubelite's client does not support/ },
    { name: 'an unknown context', context: 'nope', want: /context "nope" not found/ },
    { name: 'a context naming a missing cluster', context: 'no-server', want: /cluster "missing" not found/ },
  ];
  for (const c of refusals) {
    test(`refuses ${c.name}`, () => assert.throws(() => restOptionsFromKubeconfig(parseKubeconfig(yaml), dir, c.context), c.want));
  }
  test('refuses a file without current-context when no context is given', () => {
    assert.throws(() => restOptionsFromKubeconfig(parseKubeconfig(''), dir), /current-context is not set/);
  });
});

describe('readKubeconfig', () => {
  test('a missing file is undefined, an existing one is parsed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubelite-kubeconfig-'));
    try {
      assert.equal(await readKubeconfig(join(dir, 'none')), undefined);
      await writeFile(join(dir, 'config'), 'current-context: x\n');
      assert.equal((await readKubeconfig(join(dir, 'config')))?.['current-context'], 'x');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
