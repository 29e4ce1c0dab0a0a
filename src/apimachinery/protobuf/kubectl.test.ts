/**
 * What the real kubectl sends as protobuf, decoded and compared with what the same
 * kubectl prints for `--dry-run=client -o json` (encoding/json of the same object, so
 * the oracle for "the JSON the JSON path would get"; its nulls are left out, as the
 * decoder leaves them out).
 *
 * kubectl runs against a small HTTPS capture server (certificates from src/pki): it
 * serves /version and discovery, answers GETs of the objects a case names, and answers
 * a write with the decoded object. Each case has its own kubeconfig whose server URL
 * carries a path prefix, so cases run concurrently.
 *
 * KUBELITE_UPDATE_FIXTURES=1 rewrites testdata/<case>.pb and <case>.json, which
 * decoder.test.ts checks without kubectl. Skipped without a kubectl binary or schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createCA, issueClientCert, issueServingCert } from '../../pki/index.js';
import { buildKubeconfig, kubeconfigToYAML } from '../../cli/kubeconfig.js';
import { apiGroupList, apiResourceList, apiVersions } from '../../api/discovery.js';
import { defaultDecoder } from './load.js';
import { PROTOBUF_MEDIA_TYPE } from './decoder.js';
import { dropNulls, fixturesDir } from './testfixtures.js';

const KUBECTL = process.env['KUBECTL'] || '/usr/bin/kubectl';
const UPDATE = process.env['KUBELITE_UPDATE_FIXTURES'] === '1';

interface Case {
  name: string;
  args: string[];
  /** GET path (after the prefix) -> JSON object served. */
  objects?: Record<string, unknown>;
  /** The JSON expected when kubectl has no --dry-run for the command. */
  want?: Record<string, unknown>;
  /** Files the args name, written to the case's directory ({dir} in args). */
  files?: Record<string, Uint8Array | string>;
  /** kubectl writes this one as JSON (its dynamic client), not protobuf. */
  sendsJSON?: true;
  /** Which write to check when kubectl makes several (path, after the prefix). */
  write?: RegExp;
  /** Fills what the expectation cannot know in advance (a timestamp kubectl took) from the decoded body. */
  complete?: (want: Record<string, unknown>, got: Record<string, unknown>) => void;
}

const DEPLOYMENT = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }] }] } },
  },
};

const CRONJOB = {
  kind: 'CronJob',
  apiVersion: 'batch/v1',
  metadata: { name: 'cj', namespace: 'default', uid: 'cj-uid', resourceVersion: '1' },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: {
      metadata: { labels: { a: 'b' } },
      spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox', command: ['date'] }] } } },
    },
  },
};

const CSR = {
  kind: 'CertificateSigningRequest',
  apiVersion: 'certificates.k8s.io/v1',
  metadata: {
    name: 'csr1',
    uid: '0d3f6c9e-0000-4000-8000-000000000001',
    resourceVersion: '7',
    creationTimestamp: '2024-05-06T07:08:09Z',
    labels: { a: 'b' },
    managedFields: [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'certificates.k8s.io/v1',
        time: '2024-05-06T07:08:09Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:request': {}, 'f:signerName': {}, 'f:usages': {} } },
      },
    ],
  },
  spec: {
    request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n').toString('base64'),
    signerName: 'kubernetes.io/kube-apiserver-client',
    expirationSeconds: 0,
    usages: ['client auth', 'digital signature'],
    username: 'alice',
    uid: 'alice-uid',
    groups: ['system:authenticated', 'devs'],
    extra: { 'scopes.example.com': ['read', 'write'], empty: [] },
  },
  status: {},
};

const NODE = {
  kind: 'Node',
  apiVersion: 'v1',
  metadata: { name: 'n1', uid: 'n1-uid', resourceVersion: '3' },
  spec: {},
  status: {},
};

const POD_ON_NODE = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'p1', namespace: 'default', uid: 'p1-uid', resourceVersion: '4' },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Running' },
};

const BINARY = Uint8Array.from([0, 1, 2, 0xfe, 0xff, 0x80, 0x7f]);

export const CASES: Case[] = [
  { name: 'namespace', args: ['create', 'namespace', 'foo'] },
  { name: 'deployment-replicas-0', args: ['create', 'deployment', 'web', '--image=nginx', '--image=busybox', '--replicas=0', '--port=8080'] },
  { name: 'secret-generic', args: ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--from-literal=empty=', '--from-file=bin={dir}/bin'], files: { bin: BINARY } },
  {
    name: 'secret-docker-registry',
    args: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  },
  {
    name: 'configmap',
    args: ['create', 'configmap', 'cm', '--from-literal=k=v', '--from-literal=a=', '--from-file=bin={dir}/bin', '--from-file=text={dir}/text'],
    files: { bin: BINARY, text: 'line1\nline2\n' },
  },
  { name: 'service-clusterip', args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443'] },
  { name: 'service-clusterip-none', args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None'] },
  { name: 'service-nodeport', args: ['create', 'service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'] },
  { name: 'service-externalname', args: ['create', 'service', 'externalname', 'ext', '--external-name=example.com'] },
  { name: 'job', args: ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'] },
  { name: 'job-from-cronjob', args: ['create', 'job', 'manual', '--from=cronjob/cj'], objects: { '/apis/batch/v1/namespaces/default/cronjobs/cj': CRONJOB } },
  { name: 'cronjob', args: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'] },
  { name: 'pdb-min-available-0', args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=x', '--min-available=0'] },
  { name: 'pdb-max-unavailable-percent', args: ['create', 'pdb', 'pdb2', '--selector=app=x', '--max-unavailable=50%'] },
  { name: 'priorityclass-value-0', args: ['create', 'priorityclass', 'pc', '--value=0', '--description=d', '--preemption-policy=Never'] },
  { name: 'quota', args: ['create', 'quota', 'q', '--hard=cpu=1500m,memory=1Gi,pods=10', '--scopes=BestEffort'] },
  { name: 'role', args: ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'] },
  { name: 'clusterrole-aggregation', args: ['create', 'clusterrole', 'cr', '--aggregation-rule=a=b'] },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'rb', '--clusterrole=view', '--serviceaccount=default:sa', '--user=u', '--group=g'] },
  { name: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=view', '--user=u'] },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'sa'] },
  {
    name: 'ingress',
    args: ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/path*=svc:8080,tls=sec', '--default-backend=def:http', '--annotation=a=b'],
  },
  {
    name: 'run',
    sendsJSON: true,
    args: ['run', 'p', '--image=nginx', '--port=80', '--labels=app=p', '--env=A=1', '--env=B=', '--restart=Never', '--annotations=x=y', '--privileged', '--image-pull-policy=IfNotPresent', '--command', '--', 'sh', '-c', 'sleep 1'],
  },
  { name: 'expose-deployment', sendsJSON: true, args: ['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--name=websvc'], objects: { '/apis/apps/v1/namespaces/default/deployments/web': DEPLOYMENT } },
  { name: 'autoscale', args: ['autoscale', 'deployment', 'web', '--min=1', '--max=5', '--cpu-percent=80'], objects: { '/apis/apps/v1/namespaces/default/deployments/web': DEPLOYMENT } },
  {
    name: 'certificate-approve',
    args: ['certificate', 'approve', 'csr1'],
    objects: { '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1': CSR },
    write: /\/approval$/,
    want: {
      ...structuredClone(CSR),
      spec: { ...structuredClone(CSR.spec), extra: { empty: null, 'scopes.example.com': ['read', 'write'] } },
      status: {
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'KubectlApprove',
            message: 'This CSR was approved by kubectl certificate approve.',
            lastUpdateTime: '<set from the body>',
          },
        ],
      },
    },
    complete: (want, got) => {
      const t = ((got['status'] as { conditions?: { lastUpdateTime?: unknown }[] }).conditions ?? [])[0]?.lastUpdateTime;
      const w = (want['status'] as { conditions: { lastUpdateTime: unknown }[] }).conditions[0];
      if (typeof t === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(t) && Math.abs(Date.parse(t) - Date.now()) < 600_000 && w !== undefined) {
        w.lastUpdateTime = t;
      }
    },
  },
  {
    name: 'drain-eviction',
    sendsJSON: true,
    args: ['drain', 'n1', '--force', '--grace-period=0', '--timeout=20s'],
    objects: {
      '/api/v1/nodes/n1': NODE,
      '/api/v1/pods': { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5' }, items: [POD_ON_NODE] },
    },
    write: /\/eviction$/,
    want: {
      kind: 'Eviction',
      apiVersion: 'policy/v1',
      metadata: { name: 'p1', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 0 },
    },
  },
  {
    name: 'token',
    args: ['create', 'token', 'sa', '--duration=10m', '--audience=a', '--audience=b'],
    want: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      spec: { audiences: ['a', 'b'], expirationSeconds: 600 },
      status: { token: '' },
    },
  },
  {
    name: 'auth-can-i',
    args: ['auth', 'can-i', 'get', 'pods'],
    want: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
      status: { allowed: false },
    },
  },
];

interface Captured {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

function json(res: import('node:http').ServerResponse, code: number, v: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(v));
}

/** The reply to a write: the decoded object with server-set metadata (and a token for TokenRequest). */
function echo(body: Buffer): Record<string, unknown> {
  let obj: Record<string, unknown> = {};
  try {
    obj = body[0] === 0x7b ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : (defaultDecoder()?.decode(body) ?? {});
  } catch {
    obj = {};
  }
  const meta = (obj['metadata'] ?? {}) as Record<string, unknown>;
  obj['metadata'] = { ...meta, uid: 'uid-1', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' };
  if (obj['kind'] === 'TokenRequest') obj['status'] = { token: 'tok', expirationTimestamp: '2024-01-01T00:10:00Z' };
  if (obj['kind'] === 'SelfSubjectAccessReview') obj['status'] = { allowed: true };
  return obj;
}

async function startCaptureServer(): Promise<{ port: number; caPEM: string; certPEM: string; keyPEM: string; captured: Map<string, Captured[]>; close(): Promise<void> }> {
  const ca = await createCA();
  const serving = await issueServingCert({ ca });
  const client = await issueClientCert({ ca, user: 'admin', groups: ['system:masters'] });
  const captured = new Map<string, Captured[]>();
  const server = https.createServer({ cert: serving.certPEM, key: serving.keyPEM }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'https://x');
      const [, prefix = '', ...rest] = url.pathname.split('/');
      const path = '/' + rest.join('/');
      const c = CASES.find((x) => x.name === prefix);
      const method = req.method ?? 'GET';
      if (method !== 'GET') {
        const list = captured.get(prefix) ?? [];
        list.push({ method, path, contentType: String(req.headers['content-type'] ?? ''), body });
        captured.set(prefix, list);
        json(res, 201, echo(body));
        return;
      }
      if (path === '/version') return json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
      if (path === '/api') return json(res, 200, apiVersions(`127.0.0.1:${(server.address() as AddressInfo).port}`));
      if (path === '/apis') return json(res, 200, apiGroupList());
      const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
      if (gv !== null) {
        const list = gv[1] !== undefined ? apiResourceList('', 'v1') : apiResourceList(gv[2] ?? '', gv[3] ?? '');
        if (list !== undefined) return json(res, 200, list);
      }
      const obj = c?.objects?.[path];
      if (obj !== undefined) return json(res, 200, obj);
      json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: `${path} not found` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caPEM: ca.certPEM,
    certPEM: client.certPEM,
    keyPEM: client.keyPEM,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { timeout: 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const skip = !existsSync(KUBECTL) ? `no kubectl at ${KUBECTL}` : defaultDecoder() === undefined ? 'no protobuf schema (npm run build)' : false;

test('real kubectl protobuf bodies decode to what kubectl prints as JSON', { skip, timeout: 120_000 }, async (t) => {
  const srv = await startCaptureServer();
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-pb-'));
  try {
    const results = await Promise.all(
      CASES.map(async (c) => {
        const caseDir = join(dir, c.name);
        const kc = join(dir, `${c.name}.kubeconfig`);
        writeFileSync(
          kc,
          kubeconfigToYAML(
            buildKubeconfig({ server: `https://127.0.0.1:${srv.port}/${c.name}`, caPEM: srv.caPEM, clientCertPEM: srv.certPEM, clientKeyPEM: srv.keyPEM }),
          ),
        );
        if (c.files !== undefined) {
          mkdirSync(caseDir, { recursive: true });
          for (const [f, data] of Object.entries(c.files)) writeFileSync(join(caseDir, f), data);
        }
        const args = c.args.map((a) => a.replaceAll('{dir}', caseDir));
        const run = await kubectl(['--kubeconfig', kc, ...args]);
        let want = c.want === undefined ? undefined : structuredClone(c.want);
        if (want === undefined) {
          // The flags go before `--`: what follows it is the container's command.
          const at = args.includes('--') ? args.indexOf('--') : args.length;
          const dry = await kubectl(['--kubeconfig', kc, ...args.slice(0, at), '--dry-run=client', '-o', 'json', ...args.slice(at)]);
          assert.equal(dry.code, 0, `${c.name}: dry run failed: ${dry.stderr}`);
          want = dropNulls(JSON.parse(dry.stdout)) as Record<string, unknown>;
        }
        return { c, run, want };
      }),
    );
    const failures: string[] = [];
    let jsonInstead = 0;
    for (const { c, run, want } of results) {
      const all = srv.captured.get(c.name) ?? [];
      const writes = c.write === undefined ? all : all.filter((x) => c.write?.test(x.path));
      const w = writes[0];
      if (run.code !== 0 || writes.length !== 1 || w === undefined) {
        failures.push(`${c.name}: kubectl exit ${run.code} (${run.stderr.trim()}), writes: ${all.map((x) => `${x.method} ${x.path}`).join(', ')}`);
        continue;
      }
      const wantType = c.sendsJSON === true ? 'application/json' : PROTOBUF_MEDIA_TYPE;
      if (w.contentType === 'application/json' && wantType === PROTOBUF_MEDIA_TYPE) jsonInstead++;
      if (w.contentType !== wantType) {
        failures.push(`${c.name}: ${w.method} ${w.path} sent ${w.contentType}, want ${wantType}`);
        continue;
      }
      if (c.sendsJSON === true) continue;
      const got = defaultDecoder()?.decode(w.body) ?? {};
      c.complete?.(want, got);
      // Same keys in the same order: the decoder writes Go struct order, as encoding/json does.
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        failures.push(`${c.name}:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
        continue;
      }
      if (UPDATE) {
        writeFileSync(join(fixturesDir(), `${c.name}.pb`), w.body);
        writeFileSync(join(fixturesDir(), `${c.name}.json`), JSON.stringify(want, null, 2) + '\n');
      }
    }
    // kubectl before 1.30 or so writes JSON everywhere: nothing to check with it.
    if (jsonInstead > 0 && jsonInstead === CASES.filter((c) => c.sendsJSON !== true).length) {
      t.skip(`${KUBECTL} sends JSON, not protobuf`);
      return;
    }
    assert.deepEqual(failures, []);
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
