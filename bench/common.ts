/**
 * Shared helpers for the benchmarks that drive a real `kubelite up` child process:
 * starting and stopping it (by PID), HTTPS with the admin client certificate,
 * percentiles, resident memory from /proc, and a markdown table. Not part of the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repo root, from dist/bench. */
export const ROOT = join(here, '..', '..');
export const KUBELITE_BIN = join(ROOT, 'bin', 'kubelite.js');

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The port parsed from the child's ready line. */
  port: number;
  /** ms from spawn() to the ready line on stdout. */
  readyLineMs: number;
  /** performance.now() at spawn. */
  spawnedAt: number;
  output(): string;
}

/**
 * Spawns `node args...` and resolves once its stdout matches `ready` (whose first group
 * is the port). Rejects (after killing the child) on exit or timeout.
 */
export function spawnUntilReady(args: string[], ready: RegExp, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; what?: string } = {}): Promise<Child> {
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const what = opts.what ?? args.join(' ');
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      killAndWait(proc).then(
        () => reject(new Error(`${what}: not ready in ${opts.timeoutMs ?? 30_000} ms; output:\n${out}`)),
        reject,
      );
    }, opts.timeoutMs ?? 30_000);
    const onData = (): void => {
      const m = ready.exec(out);
      if (m === null) return;
      const readyLineMs = performance.now() - spawnedAt;
      cleanup();
      resolve({ proc, pid: proc.pid!, port: Number(m[1]), readyLineMs, spawnedAt, output: () => out });
    };
    const onExit = (code: number | null, sig: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`${what}: exited (${code ?? sig}) before ready; output:\n${out}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      proc.off('exit', onExit);
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', onExit);
  });
}

export const KUBELITE_READY = /ready at https:\/\/127\.0\.0\.1:(\d+)/;

/** `kubelite up` on dataDir, port 0, no kubeconfig merge; extra flags appended. */
export function startKubelite(dataDir: string, extraArgs: string[] = [], nodeArgs: string[] = []): Promise<Child> {
  return spawnUntilReady([...nodeArgs, KUBELITE_BIN, 'up', '--data-dir', dataDir, '--port', '0', '--kubeconfig', '', ...extraArgs], KUBELITE_READY, { what: 'kubelite up' });
}

/** Sends SIGTERM to this one child (by its PID) and waits for it to exit; SIGKILL after graceMs. */
export async function killAndWait(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export interface ClientTLS {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** The admin client certificate and the cluster CA from a kubelite data dir. */
export function adminTLS(dataDir: string): ClientTLS {
  const pki = join(dataDir, 'pki');
  return { ca: readFileSync(join(pki, 'ca.crt')), cert: readFileSync(join(pki, 'admin.crt')), key: readFileSync(join(pki, 'admin.key')) };
}

export function keepAliveAgent(tls: ClientTLS, maxSockets: number): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: tls.ca, cert: tls.cert, key: tls.key });
}

export interface Resp {
  status: number;
  body: Buffer;
}

/** One request; the agent decides about connection reuse (agent false: a fresh connection). */
export function request(port: number, agent: https.Agent | false, tls: ClientTLS, method: string, path: string, body?: Buffer | string, timeoutMs = 30_000): Promise<Resp> {
  return new Promise<Resp>((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = https.request(
      { host: '127.0.0.1', port, method, path, headers, agent, ...(agent === false ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}), timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A field of /proc/<pid>/status in KiB (VmRSS, VmHWM, ...); NaN off Linux. */
export function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]);
  } catch {
    return NaN;
  }
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for a promise to settle, then runs cleanups in reverse order even if one fails. */
export class Cleanup {
  private readonly fns: (() => Promise<void> | void)[] = [];
  add(fn: () => Promise<void> | void): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    while (this.fns.length > 0) {
      const fn = this.fns.pop()!;
      try {
        await fn();
      } catch (e) {
        console.error('bench cleanup:', e);
      }
    }
  }
}

/** The machine every benchmark reports beside its figures. */
export function machine(): { node: string; nproc: number; cpu_model: string; platform: string; loadavg_1m: number } {
  // The 1-minute load average when the figures were taken: other work on the machine is noise.
  return { node: process.version, nproc: availableParallelism(), cpu_model: cpus()[0]?.model ?? 'unknown', platform: `${process.platform} ${process.arch}`, loadavg_1m: round(loadavg()[0] ?? NaN, 2) };
}
