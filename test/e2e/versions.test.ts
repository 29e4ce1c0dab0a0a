/**
 * Version skew: a representative subset of the kubectl suite run with older and newer
 * kubectl binaries (1.30 and 1.33 from the Google Cloud SDK) against one `kubelite up`.
 * A version is skipped only when its binary is absent on this machine.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { startCluster, type Cluster, type KubectlResult } from './harness.js';

const SDK_BIN = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.30', '1.33'] as const;

let c: Cluster;

before(async () => {
  c = await startCluster({ extraArgs: ['--nodes', '1'] });
});

after(async () => {
  await c?.stop();
});

function runWith(bin: string, cacheDir: string, args: string[], o: { input?: string; allowFail?: boolean } = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      ['--kubeconfig', c.kubeconfig, '--cache-dir', cacheDir, ...args],
      { timeout: 30_000, env: { ...process.env, KUBECONFIG: c.kubeconfig } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        const r = { code, stdout: stdout.toString(), stderr: stderr.toString() };
        if (code !== 0 && !o.allowFail) reject(new Error(`${bin} ${args.join(' ')} failed (${code}):\n${r.stderr}${r.stdout}`));
        else resolve(r);
      },
    );
    if (o.input !== undefined) child.stdin!.end(o.input);
    else child.stdin?.end();
  });
}

for (const version of VERSIONS) {
  const bin = join(SDK_BIN, `kubectl.${version}`);
  const present = existsSync(bin);
  if (!present) console.log(`# skipping kubectl ${version}: ${bin} is not on this machine`);
  const minor = version.split('.')[1]!;
  test(`kubectl ${version}: create, get, label, scale, apply, server-side apply, patch, watch, explain, delete`, { skip: present ? false : `${bin} is absent` }, async () => {
    const cacheDir = join(dirname(c.kubeconfig), `kubectl-cache-${version}`);
    const k = (args: string[], o?: { input?: string; allowFail?: boolean }) => runWith(bin, cacheDir, args, o);
    const ns = `e2e-v${minor}`;

    // version: the client is the one asked for; 1.30 is two minors behind the 1.32 server
    // and says so, 1.33 is within the supported skew.
    const v = await k(['version']);
    assert.match(v.stdout, new RegExp(`^Client Version: v1\\.${minor}\\.\\d+$`, 'm'));
    assert.match(v.stdout, /^Server Version: v1\.32\.\d+/m);
    const skewWarning = /WARNING: version difference between client \(1\.30\) and server \(1\.32\) exceeds the supported minor version skew of \+\/-1/;
    if (version === '1.30') assert.match(v.stdout + v.stderr, skewWarning);
    else assert.doesNotMatch(v.stdout + v.stderr, /WARNING: version difference/);

    // create via -f: a namespace, a configmap and a deployment in one stream.
    const manifest = `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${ns}}
data: {color: blue}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.27"}
`;
    const created = await k(['create', '-f', '-'], { input: manifest });
    assert.deepEqual(created.stdout.trim().split('\n'), [`namespace/${ns} created`, 'configmap/settings created', 'deployment.apps/web created']);

    // get: table, yaml, json, jsonpath, name.
    const table = await k(['get', 'configmap', 'settings', '-n', ns]);
    assert.match(table.stdout, /^NAME\s+DATA\s+AGE\nsettings\s+1\s+\d+s\n$/);
    const deployTable = await k(['get', 'deployments', '-n', ns]);
    assert.match(deployTable.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+\d\/1\s+\d\s+\d\s+\d+s\n$/);
    const yaml = await k(['get', 'configmap', 'settings', '-n', ns, '-o', 'yaml']);
    assert.match(yaml.stdout, /^apiVersion: v1\ndata:\n {2}color: blue\nkind: ConfigMap\n/);
    assert.match(yaml.stdout, /resourceVersion: "\d+"/);
    const json = JSON.parse((await k(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])).stdout) as { kind: string; apiVersion: string; spec: { replicas: number } };
    assert.deepEqual([json.kind, json.apiVersion, json.spec.replicas], ['Deployment', 'apps/v1', 1]);
    assert.equal((await k(['get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.color}'])).stdout, 'blue');
    assert.equal((await k(['get', 'configmaps', '-n', ns, '-o', 'name', '--field-selector', 'metadata.name=settings'])).stdout, 'configmap/settings\n');

    // label, then select by it.
    assert.equal((await k(['label', 'configmap', 'settings', '-n', ns, 'tier=web'])).stdout, 'configmap/settings labeled\n');
    assert.equal((await k(['get', 'configmaps', '-n', ns, '-l', 'tier=web', '-o', 'name'])).stdout, 'configmap/settings\n');

    // scale through the scale subresource.
    assert.equal((await k(['scale', 'deployment', 'web', '-n', ns, '--replicas=3'])).stdout, 'deployment.apps/web scaled\n');
    assert.equal((await k(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'])).stdout, '3 2');

    // apply twice: created, unchanged; then a change is "configured".
    const applied = (color: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: applied, namespace: ${ns}}
data: {color: ${color}}
`;
    assert.equal((await k(['apply', '-f', '-'], { input: applied('red') })).stdout, 'configmap/applied created\n');
    assert.equal((await k(['apply', '-f', '-'], { input: applied('red') })).stdout, 'configmap/applied unchanged\n');
    assert.equal((await k(['apply', '-f', '-'], { input: applied('green') })).stdout, 'configmap/applied configured\n');
    assert.equal((await k(['get', 'configmap', 'applied', '-n', ns, '-o', 'jsonpath={.data.color}'])).stdout, 'green');

    // server-side apply: create, conflict with the client-side applier, force.
    const ssa = (color: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: ssa, namespace: ${ns}}
data: {color: ${color}}
`;
    assert.equal((await k(['apply', '--server-side', '-f', '-'], { input: ssa('red') })).stdout, 'configmap/ssa serverside-applied\n');
    assert.equal((await k(['apply', '--server-side', '--field-manager=other', '-f', '-'], { input: ssa('red') })).stdout, 'configmap/ssa serverside-applied\n');
    const clash = await k(['apply', '--server-side', '--field-manager=other', '-f', '-'], { input: ssa('blue'), allowFail: true });
    assert.match(clash.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.color$/m);
    assert.equal((await k(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], { input: ssa('blue') })).stdout, 'configmap/ssa serverside-applied\n');
    assert.equal((await k(['get', 'configmap', 'ssa', '-n', ns, '-o', 'jsonpath={.data.color}'])).stdout, 'blue');

    // patch: strategic (container list merged by name), merge, json.
    const smp = await k(['patch', 'deployment', 'web', '-n', ns, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}']);
    assert.equal(smp.stdout, 'deployment.apps/web patched\n');
    assert.equal((await k(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[*].image}'])).stdout, 'nginx:1.28');
    assert.equal((await k(['patch', 'configmap', 'settings', '-n', ns, '--type=merge', '-p', '{"data":{"size":"L"}}'])).stdout, 'configmap/settings patched\n');
    assert.equal((await k(['patch', 'configmap', 'settings', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/data/color","value":"teal"}]'])).stdout, 'configmap/settings patched\n');
    assert.equal((await k(['get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.color} {.data.size}'])).stdout, 'teal L');
    const noop = await k(['patch', 'configmap', 'settings', '-n', ns, '--type=merge', '-p', '{"data":{"size":"L"}}']);
    assert.equal(noop.stdout, 'configmap/settings patched (no change)\n');

    // get -w: events stream while another kubectl writes.
    const child = spawn(bin, ['--kubeconfig', c.kubeconfig, '--cache-dir', cacheDir, 'get', 'configmaps', '-n', ns, '-w', '--output-watch-events', '--field-selector', 'metadata.name=watched'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const waitFor = async (re: RegExp): Promise<void> => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, re);
    };
    try {
      await k(['create', 'configmap', 'watched', '-n', ns]);
      await waitFor(/^EVENT\s+NAME\s+DATA\s+AGE\n/);
      await waitFor(/ADDED\s+watched\s+0\s+/);
      await k(['label', 'configmap', 'watched', '-n', ns, 'x=y']);
      await waitFor(/MODIFIED\s+watched\s+0\s+/);
      await k(['delete', 'configmap', 'watched', '-n', ns]);
      await waitFor(/DELETED\s+watched\s+0\s+/);
    } finally {
      child.kill('SIGTERM');
    }

    // explain, from the published OpenAPI v3.
    const explain = await k(['explain', 'deployment.spec.replicas']);
    assert.match(explain.stdout, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>\n/);
    assert.match(explain.stdout, /Number of desired pods\./);

    // delete: single objects, then the namespace.
    assert.equal((await k(['delete', 'configmap', 'settings', '-n', ns])).stdout, 'configmap "settings" deleted\n');
    assert.equal((await k(['delete', 'deployment', 'web', '-n', ns])).stdout, 'deployment.apps "web" deleted\n');
    const gone = await k(['get', 'configmap', 'settings', '-n', ns], { allowFail: true });
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /configmaps "settings" not found/);
    assert.equal((await k(['delete', 'namespace', ns, '--wait=false'])).stdout, `namespace "${ns}" deleted\n`);
  });
}
