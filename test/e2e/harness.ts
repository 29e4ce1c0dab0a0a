/**
 * End-to-end harness: starts the real `kubelite up` as a child process on a temp data
 * dir and a free port, and runs the real kubectl against it. Every process it starts
 * is stopped (by PID) and every directory removed in stop().
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repo root, from dist/test/e2e. */
export const ROOT = join(here, '..', '..', '..');
export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

export interface Cluster {
  dataDir: string;
  port: number;
  kubeconfig: string;
  proc: ChildProcess;
  output: () => string;
  kubectl(args: string[], opts?: { input?: string; allowFail?: boolean; timeoutMs?: number }): Promise<KubectlResult>;
  stop(opts?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<number | null>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function startCluster(opts: { dataDir?: string; extraArgs?: string[] } = {}): Promise<Cluster> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'kubelite-e2e-')));
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'kubelite.js'), 'up', '--data-dir', dataDir, '--port', '0', '--kubeconfig', '', ...(opts.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubelite up did not become ready in 30s; output:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /ready at https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubelite up exited with ${code}; output:\n${out}`));
    });
  });
  const kubeconfig = join(dataDir, 'admin.conf');
  const cluster: Cluster = {
    dataDir,
    port,
    kubeconfig,
    proc,
    output: () => out,
    kubectl: (args, o = {}) => runKubectl(kubeconfig, args, o),
    async stop(s = {}) {
      let code: number | null = proc.exitCode;
      if (proc.exitCode === null && proc.signalCode === null) {
        code = await new Promise<number | null>((resolve) => {
          proc.once('exit', (c) => resolve(c));
          proc.kill(s.signal ?? 'SIGTERM');
        });
      }
      if (!s.keepData) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
  return cluster;
}

export function runKubectl(kubeconfig: string, args: string[], o: { input?: string; allowFail?: boolean; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dirname(kubeconfig), 'kubectl-cache'), ...args],
      { timeout: o.timeoutMs ?? 30_000, env: { ...process.env, KUBECONFIG: kubeconfig, HOME: process.env.HOME ?? '/root' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        const r = { code, stdout: stdout.toString(), stderr: stderr.toString() };
        if (code !== 0 && !o.allowFail) reject(new Error(`kubectl ${args.join(' ')} failed (${code}):\n${r.stderr}${r.stdout}`));
        else resolve(r);
      },
    );
    if (o.input !== undefined) child.stdin!.end(o.input);
    else child.stdin?.end();
  });
}
