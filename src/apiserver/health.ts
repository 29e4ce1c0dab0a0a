/**
 * /healthz, /livez and /readyz in upstream's format: "ok" by default, one
 * "[+]name ok" line per check with ?verbose, "[-]name failed: reason withheld" for a
 * failing check (HTTP 500), ?exclude=name to skip one, and /livez/<name> for a single check.
 */
export interface HealthCheck {
  name: string;
  check(): Promise<void> | void;
}

export interface HealthResult {
  code: number;
  body: string;
}

export async function runHealth(endpoint: 'healthz' | 'livez' | 'readyz', checks: HealthCheck[], sub: string, query: URLSearchParams): Promise<HealthResult> {
  if (sub !== '') {
    const c = checks.find((x) => x.name === sub);
    if (c === undefined) return { code: 404, body: '404 page not found\n' };
    try {
      await c.check();
      return { code: 200, body: 'ok' };
    } catch (e) {
      return { code: 500, body: `internal server error: ${e instanceof Error ? e.message : String(e)}\n` };
    }
  }
  const excluded = new Set(query.getAll('exclude'));
  const verbose = query.has('verbose');
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (excluded.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  if (failed) return { code: 500, body: `${lines.join('\n')}\n${endpoint} check failed\n` };
  if (!verbose) return { code: 200, body: 'ok' };
  return { code: 200, body: `${lines.join('\n')}\n${endpoint} check passed\n` };
}
