/**
 * Atomic file replacement: write a temp file beside the target with the final
 * mode, fsync it, rename it over the target, then fsync the directory. A reader
 * sees the old content or the new, never a torn file; a key is never readable
 * by others, not even briefly.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WriteAtomicOptions {
  /** File mode of the result; default 0o600. */
  mode?: number;
  /** Mode for parent directories created on the way; default 0o700. */
  dirMode?: number;
}

/**
 * Replaces path with data atomically, creating parent directories if missing.
 * When path is an existing symlink, the file it points to is replaced and the
 * link is kept.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteAtomicOptions = {}): Promise<void> {
  const mode = opts.mode ?? 0o600;
  let target = path;
  try {
    target = await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const dir = dirname(target);
  await mkdir(dir, { recursive: true, mode: opts.dirMode ?? 0o700 });
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.chmod(mode); // the umask may have narrowed or the caller may want wider than it
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Directory fsync is best effort (not supported everywhere).
  }
}

export interface LockOptions {
  /** How many times to try creating the lock file; default 50. */
  attempts?: number;
  /** Pause between attempts; default 100 ms. */
  delayMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs fn while holding `${path}.lock`, created with O_CREAT|O_EXCL: the same
 * convention client-go (kubectl) and kind use for kubeconfig files, so the three
 * never interleave their read-modify-write. Our lock file holds our pid; a lock
 * left by a process that no longer exists is taken over. An empty lock (kubectl's)
 * is waited for, then reported as an error.
 */
export async function withLockFile<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = `${path}.lock`;
  const attempts = opts.attempts ?? 50;
  const delayMs = opts.delayMs ?? 100;
  await mkdir(dirname(lock), { recursive: true, mode: 0o755 });
  let acquired = false;
  let lastErr: unknown;
  for (let i = 0; i < attempts && !acquired; i++) {
    try {
      const fh = await open(lock, 'wx', 0o600);
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      acquired = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      lastErr = err;
      const holder = await readLockPid(lock);
      if (holder !== undefined && holder !== process.pid && !processAlive(holder)) {
        await rm(lock, { force: true });
        continue;
      }
      await sleep(delayMs);
    }
  }
  if (!acquired) {
    throw new Error(`could not lock ${path}: ${lock} is held by another process (${String((lastErr as Error | undefined)?.message)})`);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

async function readLockPid(lock: string): Promise<number | undefined> {
  try {
    const fh = await open(lock, 'r');
    try {
      const n = Number((await fh.readFile('utf8')).trim());
      return Number.isInteger(n) && n > 0 ? n : undefined;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
