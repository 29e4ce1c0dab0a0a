import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePod } from '../testing/wrappers.js';
import { podRequests, DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from './resource.js';

test('podRequests: containers summed, init containers maxed, sidecars counted, overhead added', () => {
  const cases = [
    { name: 'regular containers sum', pod: makePod('p').req({ cpu: '1', memory: '1Gi' }).req({ cpu: '500m' }).obj(), want: { cpu: 1500, mem: 1024 ** 3 } },
    {
      name: 'init larger than sum wins per resource',
      pod: makePod('p').req({ cpu: '2', memory: '1G' }).req({ cpu: '1', memory: '1G' }).initReq({ cpu: '2', memory: '1G' }).initReq({ cpu: '2', memory: '3G' }).obj(),
      want: { cpu: 3000, mem: 3e9 },
    },
    {
      name: 'sidecar init container counts as regular and runs alongside later inits',
      pod: makePod('p').req({ cpu: '1' }).initReq({ cpu: '500m' }, 'Always').initReq({ cpu: '2' }).obj(),
      // regular + sidecar = 1.5; init 2 runs with sidecar 0.5 = 2.5
      want: { cpu: 2500, mem: 0 },
    },
    { name: 'overhead is added', pod: makePod('p').req({ cpu: '1' }).overhead({ cpu: '250m', memory: '100Mi' }).obj(), want: { cpu: 1250, mem: 100 * 1024 ** 2 } },
    { name: 'extended resources', pod: makePod('p').req({ 'example.com/gpu': '2' }).obj(), want: { cpu: 0, mem: 0, gpu: 2 } },
  ];
  for (const c of cases) {
    const r = podRequests(c.pod);
    assert.equal(r.milliCPU, c.want.cpu, c.name);
    assert.equal(r.memory, c.want.mem, c.name);
    if ('gpu' in c.want) assert.equal(r.scalar['example.com/gpu'], c.want.gpu, c.name);
  }
});

test('podRequests nonZero: defaults for containers without cpu/memory requests', () => {
  const r = podRequests(makePod('p').req({ cpu: '1' }).container().obj(), true);
  assert.equal(r.milliCPU, 1000 + DEFAULT_MILLI_CPU_REQUEST);
  assert.equal(r.memory, 2 * DEFAULT_MEMORY_REQUEST);
});
