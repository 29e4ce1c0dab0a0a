/**
 * Start-up time and idle memory of `kubelite up` (sqlite store), beside a bare Node
 * HTTPS server started the same way in the same run, so each figure is also a ratio:
 *
 * - cold start: spawn `kubelite up` on an empty data dir (it creates the CA, certs, the
 *   store and the bootstrap objects) until /readyz answers "ok" to the admin certificate;
 * - restart: the same on the data dir the cold start left behind;
 * - baseline: spawn `node -e` running a bare node:https server (kubelite's key and
 *   certificate) until its first answer to the same client certificate;
 * - memory: VmRSS from /proc/<pid>/status of the restarted kubelite and of the baseline,
 *   both just after ready and after --idle-seconds of idling side by side.
 *
 * Start times are taken --runs times (interleaved baseline, cold, restart); the median is
 * the figure and every sample is printed. The port is 0; the port is read from the ready
 * line, then /readyz is asked (a fresh TLS connection each time, as a prober would).
 *
 *   node dist/bench/start.js [--runs 5] [--idle-seconds 60]
 *
 * Prints a markdown table, then one JSON line. Not part of the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  adminTLS,
  Cleanup,
  killAndWait,
  machine,
  markdownTable,
  median,
  procStatusKiB,
  request,
  round,
  sleep,
  spawnUntilReady,
  startKubelite,
  type Child,
  type ClientTLS,
} from './common.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'idle-seconds': { type: 'string', default: '60' } } });
const RUNS = Number(values.runs);
if (!Number.isSafeInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be an integer >= 1, got ${values.runs}`);
const IDLE_S = Number(values['idle-seconds']);
if (!Number.isFinite(IDLE_S) || IDLE_S < 0) throw new Error(`--idle-seconds must be a number >= 0, got ${values['idle-seconds']}`);

/** A bare node:https server: kubelite's serving cert, client certificates requested as kubelite does. */
const BASELINE_SERVER = `
const https = require('node:https');
const fs = require('node:fs');
const e = process.env;
const srv = https.createServer({ cert: fs.readFileSync(e.BENCH_CERT), key: fs.readFileSync(e.BENCH_KEY), ca: fs.readFileSync(e.BENCH_CA),
  requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] },
  (req, res) => { res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' }); res.end('ok'); });
srv.listen(0, '127.0.0.1', () => console.log('baseline ready at https://127.0.0.1:' + srv.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/** Asks path until it answers 200 "ok"; returns ms since the child was spawned. */
async function untilOK(child: Child, tls: ClientTLS, path: string): Promise<number> {
  const deadline = performance.now() + 30_000;
  let last = '';
  while (performance.now() < deadline) {
    try {
      const r = await request(child.port, false, tls, 'GET', path, undefined, 5_000);
      if (r.status === 200 && r.body.toString() === 'ok') return performance.now() - child.spawnedAt;
      last = `${r.status} ${r.body.toString().slice(0, 200)}`;
    } catch (e) {
      last = String(e);
    }
    await sleep(5);
  }
  throw new Error(`${path} did not answer ok in 30 s; last: ${last}`);
}

const cleanup = new Cleanup();
const onSignal = (): void => {
  void cleanup.run().then(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

interface Sample {
  readyLineMs: number;
  readyzMs: number;
}

try {
  // A data dir only to own a PKI for the baseline (the same key type and chain as kubelite's).
  const pkiDir = mkdtempSync(join(tmpdir(), 'kubelite-bench-start-pki-'));
  cleanup.add(() => rmSync(pkiDir, { recursive: true, force: true }));
  {
    const k = await startKubelite(pkiDir);
    await killAndWait(k.proc);
  }
  const pkiTLS = adminTLS(pkiDir);
  const baselineEnv = {
    ...process.env,
    BENCH_CERT: join(pkiDir, 'pki', 'apiserver.crt'),
    BENCH_KEY: join(pkiDir, 'pki', 'apiserver.key'),
    BENCH_CA: join(pkiDir, 'pki', 'ca.crt'),
  };
  const startBaseline = (): Promise<Child> =>
    spawnUntilReady(['-e', BASELINE_SERVER], /baseline ready at https:\/\/127\.0\.0\.1:(\d+)/, { what: 'baseline https server', env: baselineEnv });

  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const base: Sample[] = [];
  let idle: { dataDir: string; kube: Child; kubeTLS: ClientTLS; baseline: Child } | undefined;

  for (let run = 0; run < RUNS; run++) {
    const last = run === RUNS - 1;

    const b = await startBaseline();
    cleanup.add(() => killAndWait(b.proc));
    base.push({ readyLineMs: b.readyLineMs, readyzMs: await untilOK(b, pkiTLS, '/') });

    const dataDir = mkdtempSync(join(tmpdir(), 'kubelite-bench-start-'));
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const k1 = await startKubelite(dataDir);
    cleanup.add(() => killAndWait(k1.proc));
    const tls = adminTLS(dataDir);
    cold.push({ readyLineMs: k1.readyLineMs, readyzMs: await untilOK(k1, tls, '/readyz') });
    await killAndWait(k1.proc);

    const k2 = await startKubelite(dataDir);
    cleanup.add(() => killAndWait(k2.proc));
    warm.push({ readyLineMs: k2.readyLineMs, readyzMs: await untilOK(k2, tls, '/readyz') });

    if (last) {
      idle = { dataDir, kube: k2, kubeTLS: tls, baseline: b };
    } else {
      await killAndWait(k2.proc);
      await killAndWait(b.proc);
    }
    process.stderr.write(`start bench: run ${run + 1}/${RUNS} done\n`);
  }

  const { kube, baseline } = idle!;
  const kubeRssReady = procStatusKiB(kube.pid, 'VmRSS');
  const baseRssReady = procStatusKiB(baseline.pid, 'VmRSS');
  process.stderr.write(`start bench: idling ${IDLE_S} s\n`);
  await sleep(IDLE_S * 1000);
  const kubeRssIdle = procStatusKiB(kube.pid, 'VmRSS');
  const baseRssIdle = procStatusKiB(baseline.pid, 'VmRSS');
  const kubeHWM = procStatusKiB(kube.pid, 'VmHWM');
  const baseHWM = procStatusKiB(baseline.pid, 'VmHWM');
  // Still serving after the idle?
  await untilOK(kube, idle!.kubeTLS, '/readyz');

  const med = (xs: Sample[], f: keyof Sample): number => median(xs.map((s) => s[f]));
  const list = (xs: Sample[], f: keyof Sample): string => xs.map((s) => Math.round(s[f])).join(', ');
  const baseMed = med(base, 'readyzMs');
  const mib = (kib: number): string => (kib / 1024).toFixed(1);
  const m = machine();
  console.log(`\n### Start-up and idle memory: kubelite up (sqlite) vs a bare node:https server\n`);
  console.log(
    markdownTable(
      ['figure', 'kubelite (median)', 'samples', 'baseline (median)', 'baseline samples', 'kubelite / baseline'],
      [
        ['cold start: spawn → /readyz ok (ms)', Math.round(med(cold, 'readyzMs')), list(cold, 'readyzMs'), Math.round(baseMed), list(base, 'readyzMs'), `${(med(cold, 'readyzMs') / baseMed).toFixed(2)}×`],
        ['  of which spawn → ready line (ms)', Math.round(med(cold, 'readyLineMs')), list(cold, 'readyLineMs'), Math.round(med(base, 'readyLineMs')), list(base, 'readyLineMs'), ''],
        ['restart: spawn → /readyz ok (ms)', Math.round(med(warm, 'readyzMs')), list(warm, 'readyzMs'), Math.round(baseMed), list(base, 'readyzMs'), `${(med(warm, 'readyzMs') / baseMed).toFixed(2)}×`],
        ['  of which spawn → ready line (ms)', Math.round(med(warm, 'readyLineMs')), list(warm, 'readyLineMs'), Math.round(med(base, 'readyLineMs')), list(base, 'readyLineMs'), ''],
        ['RSS just after ready (MiB)', mib(kubeRssReady), '1', mib(baseRssReady), '1', `${(kubeRssReady / baseRssReady).toFixed(2)}×`],
        [`RSS after ${IDLE_S} s idle (MiB)`, mib(kubeRssIdle), '1', mib(baseRssIdle), '1', `${(kubeRssIdle / baseRssIdle).toFixed(2)}×`],
        ['peak RSS, VmHWM (MiB)', mib(kubeHWM), '1', mib(baseHWM), '1', `${(kubeHWM / baseHWM).toFixed(2)}×`],
      ],
    ),
  );
  console.log(`\n(${RUNS} runs, idle ${IDLE_S} s, node ${m.node}, nproc ${m.nproc}, ${m.cpu_model})\n`);
  const r = (xs: Sample[], f: keyof Sample): number[] => xs.map((s) => round(s[f], 1));
  console.log(
    JSON.stringify({
      bench: 'start',
      store: 'sqlite',
      runs: RUNS,
      idle_seconds: IDLE_S,
      machine: m,
      date: new Date().toISOString(),
      cold_readyz_ms: r(cold, 'readyzMs'),
      cold_ready_line_ms: r(cold, 'readyLineMs'),
      restart_readyz_ms: r(warm, 'readyzMs'),
      restart_ready_line_ms: r(warm, 'readyLineMs'),
      baseline_first_answer_ms: r(base, 'readyzMs'),
      baseline_ready_line_ms: r(base, 'readyLineMs'),
      cold_median_ms: round(med(cold, 'readyzMs'), 1),
      restart_median_ms: round(med(warm, 'readyzMs'), 1),
      baseline_median_ms: round(baseMed, 1),
      cold_ratio: round(med(cold, 'readyzMs') / baseMed, 2),
      restart_ratio: round(med(warm, 'readyzMs') / baseMed, 2),
      kubelite_rss_ready_kib: kubeRssReady,
      kubelite_rss_idle_kib: kubeRssIdle,
      kubelite_vmhwm_kib: kubeHWM,
      baseline_rss_ready_kib: baseRssReady,
      baseline_rss_idle_kib: baseRssIdle,
      baseline_vmhwm_kib: baseHWM,
      rss_idle_ratio: round(kubeRssIdle / baseRssIdle, 2),
    }),
  );
} finally {
  await cleanup.run();
}
