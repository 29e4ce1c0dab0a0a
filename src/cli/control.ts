/**
 * The control channel between `kubelite up` and later `kubelite node stop|start`
 * invocations on the same data dir: a small HTTP API on a unix socket in the data dir
 * (owner-only, like the admin credentials beside it), never on the network.
 */
import http from 'node:http';
import { rm, chmod } from 'node:fs/promises';
import { join } from 'node:path';

export const CONTROL_SOCKET = 'control.sock';

export interface ControlHandlers {
  /** Stops or starts one node agent; throws an Error with a message for the user. */
  nodeStop(name: string): Promise<void>;
  nodeStart(name: string): Promise<void>;
  /** Node agents run by this process and whether each is running. */
  nodes(): { name: string; running: boolean }[];
}

export interface ControlServer {
  close(): Promise<void>;
}

export async function startControlServer(dataDir: string, h: ControlHandlers): Promise<ControlServer> {
  const path = join(dataDir, CONTROL_SOCKET);
  await rm(path, { force: true });
  const server = http.createServer((req, res) => {
    const send = (code: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    void (async () => {
      try {
        const m = /^\/nodes\/([^/]+)\/(stop|start)$/.exec(req.url ?? '');
        if (req.method === 'GET' && req.url === '/nodes') return send(200, h.nodes());
        if (req.method === 'POST' && m !== null) {
          const name = decodeURIComponent(m[1]!);
          if (m[2] === 'stop') await h.nodeStop(name);
          else await h.nodeStart(name);
          return send(200, { name, running: m[2] === 'start' });
        }
        send(404, { error: `unknown control request ${req.method} ${req.url}` });
      } catch (e) {
        send(400, { error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => rm(path, { force: true })),
  };
}

export async function controlRequest(dataDir: string, method: string, path: string): Promise<unknown> {
  const socketPath = join(dataDir, CONTROL_SOCKET);
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = { error: text };
        }
        if ((res.statusCode ?? 500) >= 400) reject(new Error(body?.error ?? `control request failed with ${res.statusCode}`));
        else resolve(body);
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') reject(new Error(`no running "kubelite up" found for data dir ${dataDir}`));
      else reject(e);
    });
    req.end();
  });
}
