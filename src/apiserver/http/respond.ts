/**
 * Writing responses: JSON (or YAML when asked), and Status bodies for errors, with
 * upstream's status codes. Every error path goes through writeError so a client
 * always gets a metav1.Status, never a bare stack trace.
 */
import type { ServerResponse } from 'node:http';
import { stringify as toYAML } from 'yaml';
import { StatusError, errors } from '../../apimachinery/errors.js';

export function writeJSON(res: ServerResponse, code: number, body: unknown, format: 'json' | 'yaml' = 'json', extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = format === 'yaml' ? toYAML(body) : JSON.stringify(body);
  const buf = Buffer.from(text);
  res.writeHead(code, {
    'Content-Type': format === 'yaml' ? 'application/yaml' : 'application/json',
    'Content-Length': String(buf.length),
    'Cache-Control': 'no-cache, private',
    ...extraHeaders,
  });
  res.end(buf);
}

export function writeError(res: ServerResponse, err: unknown): StatusError {
  const se = err instanceof StatusError ? err : errors.internal(err instanceof Error ? err.message : String(err));
  writeJSON(res, se.code, se.toStatus());
  return se;
}

export function writeText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  const buf = Buffer.from(text);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(buf.length), 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
  res.end(buf);
}
