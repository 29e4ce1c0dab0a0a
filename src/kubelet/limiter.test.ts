import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transport, TransportRequest, TransportResponse } from '../client/transport.js';
import { LimitedTransport } from './limiter.js';

test('LimitedTransport: at most maxInFlight requests, heartbeats served first', async () => {
  const open: (() => void)[] = [];
  const order: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const inner: Transport = {
    request: (req: TransportRequest) =>
      new Promise<TransportResponse>((resolve) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        order.push(req.path);
        open.push(() => {
          inFlight--;
          resolve({ status: 200, headers: {}, body: Buffer.alloc(0) });
        });
      }),
    stream: () => Promise.reject(new Error('unused')),
    close: () => undefined,
  };
  const t = new LimitedTransport(inner, { maxInFlight: 2 });
  const req = (path: string): Promise<TransportResponse> => t.request({ method: 'PUT', path });
  const all = [
    req('/api/v1/namespaces/default/events/a'),
    req('/api/v1/namespaces/default/events/b'),
    req('/api/v1/namespaces/default/events/c'),
    req('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1'),
    req('/api/v1/nodes/n1/status'),
  ];
  await new Promise((r) => setImmediate(r));
  assert.equal(t.queued, 3);
  while (open.length > 0) {
    open.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(all);
  assert.equal(peak, 2);
  assert.deepEqual(order.map((p) => p.split('/').at(-1)), ['a', 'b', 'n1', 'status', 'c']);
  assert.throws(() => new LimitedTransport(inner, { maxInFlight: 0 }), /maxInFlight/);
});
