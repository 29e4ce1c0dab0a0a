/**
 * kill -9 durability: a child process writes from several concurrent writers (so writes
 * share group commits) and reports each acknowledged revision; the parent kills it with
 * SIGKILL at a random moment, reopens the file and checks that every acknowledged write
 * is there, at its revision, with its value.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SqliteStore } from './sqlite.js';

const writer = join(dirname(fileURLToPath(import.meta.url)), 'crashwriter.js');

interface Ack {
  revision: number;
  op: 'create' | 'update' | 'delete';
  key: string;
  value: string;
}

/** Runs the writer until it has acknowledged at least `acks` writes (or `ms` passed), then SIGKILLs it. */
async function runAndKill(path: string, sync: 'FULL' | 'NORMAL', acks: number, ms: number): Promise<{ acks: Ack[]; startRev: number }> {
  const child = spawn(process.execPath, [writer, path, sync], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let count = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.stdout.on('data', (d: string) => {
      out += d;
      count += (d.match(/\n/g) ?? []).length;
      if (count > acks) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  child.kill('SIGKILL');
  const { signal } = await exited;
  assert.equal(signal, 'SIGKILL', `writer exited by itself: ${err}`);
  // Only complete lines count: a torn last line was never fully acknowledged to us.
  const lines = out.split('\n').slice(0, -1);
  const ready = /^ready (\d+)$/.exec(lines[0] ?? '');
  assert.ok(ready, `writer did not start: ${out.slice(0, 200)} ${err}`);
  const parsed: Ack[] = lines.slice(1).map((l) => {
    const [tag, rev, op, key, value] = l.split(' ');
    assert.equal(tag, 'ack', l);
    return { revision: Number(rev), op: op as Ack['op'], key: key!, value: value! };
  });
  return { acks: parsed, startRev: Number(ready[1]) };
}

describe('SqliteStore survives kill -9', () => {
  for (const sync of ['FULL', 'NORMAL'] as const) {
    it(`synchronous=${sync}: every acknowledged write is present after SIGKILL`, async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'kubelite-crash-'));
      const path = join(dir, 'state.db');
      try {
        let total = 0;
        // Several rounds on the same file: each resumes from the previous crash.
        for (const [round, target] of [50, 400, 1500].entries()) {
          const t0 = performance.now();
          const { acks, startRev } = await runAndKill(path, sync, target, 5000);
          t.diagnostic(`round ${round}: killed after ${acks.length} acknowledged writes, ${(performance.now() - t0).toFixed(0)} ms`);
          assert.ok(acks.length > 0, `round ${round}: no acknowledged writes`);
          total += acks.length;
          const s = new SqliteStore({ path });
          try {
            const rev = await s.currentRevision();
            // No writer is ever refused, so the acknowledged revisions are exactly the
            // ones after the restart, gap-free and in order, even across group commits.
            assert.deepEqual(
              acks.map((a) => a.revision),
              acks.map((_, i) => startRev + 1 + i),
              `round ${round}: acknowledged revisions resume at ${startRev + 1} without gaps`,
            );
            assert.ok(rev >= acks[acks.length - 1]!.revision, `round ${round}: store at ${rev} lost acknowledged revision ${acks[acks.length - 1]!.revision}`);
            for (const a of acks) {
              const got = await s.get(a.key, { revision: a.revision });
              if (a.op === 'delete') assert.equal(got.kv, undefined, `round ${round}: ${a.key} deleted at ${a.revision}`);
              else {
                assert.equal(got.kv?.value, a.value, `round ${round}: ${a.key} at ${a.revision}`);
                assert.equal(got.kv?.modRevision, a.revision);
              }
            }
          } finally {
            await s.close();
          }
        }
        t.diagnostic(`${total} acknowledged writes verified across 3 kills`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
