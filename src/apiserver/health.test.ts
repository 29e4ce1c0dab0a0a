/**
 * /healthz, /livez and /readyz in upstream's format, open to anonymous callers (the
 * system:public-info-viewer rule), with verbose, exclude and single-check paths.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testharness.js';

let ts: TestServer;
let broken = false;

before(async () => {
  ts = await startTestServer({
    server: {
      healthChecks: [
        {
          name: 'flaky',
          check: () => {
            if (broken) throw new Error('flaky is down');
          },
        },
      ],
    },
  });
});
after(async () => {
  await ts?.close();
});

const anon = (path: string) => ts.request('GET', path, { anonymous: true });

test('plain endpoints answer ok to anonymous callers', async () => {
  for (const p of ['/healthz', '/livez', '/readyz']) {
    const r = await anon(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.text, 'ok');
    assert.match(String(r.headers['content-type']), /^text\/plain/);
  }
});

test('verbose lists every check', async () => {
  const r = await anon('/readyz?verbose');
  assert.equal(r.status, 200);
  assert.equal(r.text, '[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]flaky ok\n[+]shutdown ok\nreadyz check passed\n');
  const l = await anon('/livez?verbose=1');
  assert.match(l.text, /^\[\+\]ping ok\n/);
  assert.match(l.text, /livez check passed\n$/);
  assert.doesNotMatch(l.text, /shutdown/, 'shutdown is a readiness check only');
});

test('single-check paths', async () => {
  const ok = await anon('/livez/ping');
  assert.equal(ok.status, 200);
  assert.equal(ok.text, 'ok');
  assert.equal((await anon('/readyz/etcd')).text, 'ok');
  const missing = await anon('/healthz/nonesuch');
  assert.equal(missing.status, 404);
});

test('a failing check fails the endpoint, and exclude skips it', async () => {
  broken = true;
  try {
    const r = await anon('/readyz');
    assert.equal(r.status, 500);
    assert.match(r.text, /\[-\]flaky failed: reason withheld\n/);
    assert.match(r.text, /readyz check failed\n$/);
    const one = await anon('/healthz/flaky');
    assert.equal(one.status, 500);
    assert.equal(one.text, 'internal server error: flaky is down\n');
    const ex = await anon('/readyz?exclude=flaky&verbose');
    assert.equal(ex.status, 200);
    assert.match(ex.text, /\[\+\]flaky excluded: ok\n/);
  } finally {
    broken = false;
  }
});

test('other non-resource paths stay closed to anonymous callers', async () => {
  const r = await anon('/metrics');
  assert.equal(r.status, 403);
  assert.equal(r.json.reason, 'Forbidden');
  assert.equal(r.json.message, 'forbidden: User "system:anonymous" cannot get path "/metrics"');
  const v = await anon('/version');
  assert.equal(v.status, 200);
});
