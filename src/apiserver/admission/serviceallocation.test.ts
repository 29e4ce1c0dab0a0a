import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { findResource } from '../../api/resources.js';
import { StatusError } from '../../apimachinery/errors.js';
import { parseCIDR, parseIPv4 } from '../../util/cidr.js';
import type { KObject } from '../registry/strategy.js';
import type { AdmissionAttributes } from './admission.js';
import { ServiceAllocation, type ServiceAllocationOptions } from './serviceallocation.js';
import { parsePortRange, pickFree, staticBandSize } from './portrange.js';
import { startTestServer, type TestServer } from '../testharness.js';

const SERVICES = findResource('', 'v1', 'services')!;

function svc(name: string, spec: Record<string, unknown>, namespace = 'default'): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: structuredClone(spec) };
}

function attrs(object: KObject, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE',
    resource: SERVICES,
    subresource: '',
    namespace: (object.metadata?.namespace as string | undefined) ?? 'default',
    name: object.metadata?.name as string,
    object,
    oldObject: undefined,
    user: { name: 'u', groups: [] },
    dryRun: false,
    ...over,
  };
}

/** A plugin over a fake service list; `stored` is what listServices returns. */
function fixture(opts: Partial<ServiceAllocationOptions> = {}) {
  const stored: KObject[] = [];
  let clock = 1_000;
  const plugin = new ServiceAllocation({ listServices: () => Promise.resolve(structuredClone(stored)), now: () => clock, ...opts });
  /** Admits a create and stores the result, as the registry would. */
  const create = async (o: KObject, over: Partial<AdmissionAttributes> = {}): Promise<KObject> => {
    await plugin.admit(attrs(o, over));
    if (over.dryRun !== true) stored.push(structuredClone(o));
    return o;
  };
  const update = async (o: KObject): Promise<KObject> => {
    const i = stored.findIndex((s) => s.metadata?.name === o.metadata?.name && s.metadata?.namespace === o.metadata?.namespace);
    await plugin.admit(attrs(o, { operation: 'UPDATE', oldObject: structuredClone(stored[i]!) }));
    stored[i] = structuredClone(o);
    return o;
  };
  const remove = (name: string): void => {
    const i = stored.findIndex((s) => s.metadata?.name === name);
    stored.splice(i, 1);
  };
  return { plugin, stored, create, update, remove, advance: (ms: number) => (clock += ms) };
}

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError, `want a StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('want a rejection');
}

function inCIDR(ip: string, cidr: string): boolean {
  const c = parseCIDR(cidr);
  const n = parseIPv4(ip);
  return n > c.base && n < c.base + c.size - 1;
}

describe('portrange', () => {
  const cases = [
    { name: 'dash', in: '30000-32767', want: { base: 30000, size: 2768 } },
    { name: 'plus', in: '30000+10', want: { base: 30000, size: 11 } },
    { name: 'single', in: '8080', want: { base: 8080, size: 1 } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(parsePortRange(c.in), c.want));
  for (const bad of ['', 'a-b', '5-1', '0-10', '30000-70000']) test(`refuses "${bad}"`, () => assert.throws(() => parsePortRange(bad)));

  test('static band sizes as upstream', () => {
    assert.equal(staticBandSize(2 ** 20, 16, 256, 16), 256); // /12
    assert.equal(staticBandSize(256, 16, 256, 16), 16); // /24
    assert.equal(staticBandSize(16, 16, 256, 16), 0); // /28
    assert.equal(staticBandSize(2768, 16, 128, 32), 86); // 30000-32767
  });

  test('pickFree prefers the upper band and falls back to the lower one', () => {
    assert.equal(pickFree(10, 4, () => false, () => 0), 4);
    assert.equal(pickFree(10, 4, (o) => o >= 4, () => 0.5), 2);
    assert.equal(pickFree(10, 4, () => true, () => 0.5), undefined);
  });
});

describe('ServiceAllocation unit', () => {
  test('options are validated', () => {
    const listServices = () => Promise.resolve([]);
    assert.throws(() => new ServiceAllocation({ listServices, serviceCIDR: 'nope' }), /service-cluster-ip-range/);
    assert.throws(() => new ServiceAllocation({ listServices, serviceCIDR: '10.0.0.0/8' }), /too large/);
    assert.throws(() => new ServiceAllocation({ listServices, nodePortRange: '1-x' }), /service-node-port-range/);
    const p = new ServiceAllocation({ listServices });
    assert.equal(p.serviceCIDR, '10.96.0.0/12');
    assert.equal(p.nodePortRange, '30000-32767');
    assert.equal(p.kubernetesServiceIP, '10.96.0.1');
  });

  const port = { port: 80, protocol: 'TCP', targetPort: 8080 };
  const createCases: {
    name: string;
    spec: Record<string, unknown>;
    /** Checks the admitted spec. */
    want?: (spec: Record<string, any>) => void;
    /** Or: the 422 message wanted. */
    wantErr?: string;
    wantCode?: number;
  }[] = [
    {
      name: 'ClusterIP without clusterIP gets one',
      spec: { type: 'ClusterIP', ports: [port] },
      want: (s) => {
        assert.ok(inCIDR(s.clusterIP, '10.96.0.0/12'), s.clusterIP);
        assert.notEqual(s.clusterIP, '10.96.0.1');
        assert.deepEqual(s.clusterIPs, [s.clusterIP]);
        assert.deepEqual(s.ipFamilies, ['IPv4']);
        assert.equal(s.ipFamilyPolicy, 'SingleStack');
        assert.equal(s.ports[0].nodePort, undefined);
      },
    },
    { name: 'missing type is ClusterIP', spec: { ports: [port] }, want: (s) => assert.ok(inCIDR(s.clusterIP, '10.96.0.0/12')) },
    { name: 'empty clusterIP is allocated', spec: { clusterIP: '', ports: [port] }, want: (s) => assert.ok(inCIDR(s.clusterIP, '10.96.0.0/12')) },
    {
      name: 'headless is left alone',
      spec: { clusterIP: 'None', ports: [port] },
      want: (s) => {
        assert.equal(s.clusterIP, 'None');
        assert.deepEqual(s.clusterIPs, ['None']);
      },
    },
    {
      name: 'ExternalName gets nothing',
      spec: { type: 'ExternalName', externalName: 'example.com' },
      want: (s) => {
        assert.equal(s.clusterIP, undefined);
        assert.equal(s.clusterIPs, undefined);
      },
    },
    { name: 'explicit IP honoured', spec: { clusterIP: '10.96.0.10', ports: [port] }, want: (s) => assert.deepEqual(s.clusterIPs, ['10.96.0.10']) },
    { name: 'explicit IP via clusterIPs', spec: { clusterIPs: ['10.96.0.11'], ports: [port] }, want: (s) => assert.equal(s.clusterIP, '10.96.0.11') },
    {
      name: 'IP outside the range',
      spec: { clusterIP: '10.0.0.5', ports: [port] },
      wantErr:
        'Service "s" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
    {
      name: 'network address is not in the range',
      spec: { clusterIP: '10.96.0.0', ports: [port] },
      wantErr:
        'Service "s" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.0"]: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
    {
      name: 'IP already held',
      spec: { clusterIP: '10.96.0.99', ports: [port] },
      wantErr: 'Service "s" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.99"]: failed to allocate IP 10.96.0.99: provided IP is already allocated',
    },
    { name: 'garbage IP', spec: { clusterIP: 'abc', ports: [port] }, wantErr: 'Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' },
    { name: 'dual-stack refused', spec: { ipFamilyPolicy: 'RequireDualStack', ports: [port] }, wantErr: 'Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services' },
    {
      name: 'NodePort gets a clusterIP and node ports',
      spec: { type: 'NodePort', ports: [port, { port: 443, protocol: 'TCP' }] },
      want: (s) => {
        assert.ok(inCIDR(s.clusterIP, '10.96.0.0/12'));
        for (const p of s.ports) assert.ok(p.nodePort >= 30000 && p.nodePort <= 32767, String(p.nodePort));
        assert.notEqual(s.ports[0].nodePort, s.ports[1].nodePort);
      },
    },
    {
      name: 'TCP and UDP of one port share a node port',
      spec: { type: 'NodePort', ports: [{ name: 'a', port: 53, protocol: 'UDP' }, { name: 'b', port: 53, protocol: 'TCP' }] },
      want: (s) => assert.equal(s.ports[0].nodePort, s.ports[1].nodePort),
    },
    { name: 'explicit node port honoured', spec: { type: 'NodePort', ports: [{ ...port, nodePort: 30100 }] }, want: (s) => assert.equal(s.ports[0].nodePort, 30100) },
    { name: 'node port already held', spec: { type: 'NodePort', ports: [{ ...port, nodePort: 30080 }] }, wantErr: 'Service "s" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated' },
    {
      name: 'node port out of range',
      spec: { type: 'NodePort', ports: [{ ...port, nodePort: 8080 }] },
      wantErr: 'Service "s" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    },
    {
      name: 'LoadBalancer with allocateLoadBalancerNodePorts=false gets none',
      spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [port] },
      want: (s) => assert.equal(s.ports[0].nodePort, undefined),
    },
    {
      name: 'LoadBalancer Local gets a healthCheckNodePort',
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [port] },
      want: (s) => {
        assert.ok(s.healthCheckNodePort >= 30000 && s.healthCheckNodePort <= 32767);
        assert.notEqual(s.healthCheckNodePort, s.ports[0].nodePort);
      },
    },
  ];
  for (const c of createCases) {
    test(`create: ${c.name}`, async () => {
      const f = fixture();
      f.stored.push(svc('kubernetes', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] }));
      f.stored.push(svc('taken', { type: 'NodePort', clusterIP: '10.96.0.99', ports: [{ port: 80, nodePort: 30080 }] }, 'other'));
      const o = svc('s', c.spec);
      if (c.wantErr !== undefined) {
        const e = await rejection(f.create(o));
        assert.equal(e.code, c.wantCode ?? 422);
        assert.equal(e.message, c.wantErr);
      } else {
        await f.create(o);
        c.want!(o.spec as Record<string, any>);
      }
    });
  }

  test('a full range is an internal error as upstream', async () => {
    const f = fixture({ serviceCIDR: '10.0.0.0/29' }); // 6 usable, the first never dynamic
    for (let i = 0; i < 5; i++) await f.create(svc(`s${i}`, {}));
    const e = await rejection(f.create(svc('full', {})));
    assert.equal(e.code, 500);
    assert.equal(e.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    // An explicit request for the first address still works (the kubernetes Service).
    await f.create(svc('kubernetes', { clusterIP: '10.0.0.1' }));
    // Deleting a service releases its address.
    const freed = (f.stored.find((s) => s.metadata?.name === 's3')!.spec as any).clusterIP as string;
    f.remove('s3');
    const again = await f.create(svc('again', {}));
    assert.equal((again.spec as any).clusterIP, freed);
  });

  test('never the same IP twice, pending allocations count until stored', async () => {
    const stored: KObject[] = [];
    const plugin = new ServiceAllocation({ serviceCIDR: '10.0.0.0/27', listServices: () => Promise.resolve(structuredClone(stored)) });
    // Admitted but not stored yet (a concurrent create mid-flight): all 29 dynamic IPs.
    const objs = Array.from({ length: 29 }, (_, i) => svc(`s${i}`, {}));
    await Promise.all(objs.map((o) => plugin.admit(attrs(o))));
    const ips = objs.map((o) => (o.spec as any).clusterIP as string);
    assert.equal(new Set(ips).size, 29);
    assert.ok(!ips.includes('10.0.0.1'));
    await assert.rejects(plugin.admit(attrs(svc('x', {}))), /range is full/);
  });

  test('a reservation whose write failed expires', async () => {
    const f = fixture({ serviceCIDR: '10.0.0.0/29', reservationTTLMs: 1000 });
    const objs = Array.from({ length: 5 }, (_, i) => svc(`s${i}`, {}));
    for (const o of objs) await f.plugin.admit(attrs(o)); // never stored
    await assert.rejects(f.plugin.admit(attrs(svc('x', {}))), /range is full/);
    f.advance(1001);
    await f.plugin.admit(attrs(svc('x', {})));
  });

  test('dry run allocates but reserves nothing', async () => {
    const f = fixture({ serviceCIDR: '10.0.0.0/29' });
    for (let i = 0; i < 4; i++) await f.create(svc(`s${i}`, {}));
    const dry = await f.create(svc('dry', {}), { dryRun: true });
    assert.ok(inCIDR((dry.spec as any).clusterIP, '10.0.0.0/29'));
    await f.create(svc('real', {})); // the dry run's address was still free
  });

  test('update: clusterIP may not change, omitted values are kept', async () => {
    const f = fixture();
    const o = await f.create(svc('a', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
    const ip = (o.spec as any).clusterIP as string;
    const np = (o.spec as any).ports[0].nodePort as number;
    // A PUT without clusterIP or nodePort keeps both.
    const put = await f.update(svc('a', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
    assert.equal((put.spec as any).clusterIP, ip);
    assert.deepEqual((put.spec as any).clusterIPs, [ip]);
    assert.equal((put.spec as any).ports[0].nodePort, np);
    const e = await rejection(f.update(svc('a', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ name: 'http', port: 80 }] })));
    assert.equal(e.code, 422);
    assert.equal(e.message, 'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.50"]: may not change once set');
  });

  test('update: ClusterIP -> NodePort allocates, NodePort -> ClusterIP releases', async () => {
    const f = fixture({ nodePortRange: '30000-30001' });
    const o = await f.create(svc('a', { ports: [{ port: 80 }] }));
    const ip = (o.spec as any).clusterIP as string;
    const np = await f.update(svc('a', { type: 'NodePort', clusterIP: ip, ports: [{ port: 80 }, { port: 81 }] }));
    const ports = (np.spec as any).ports.map((p: any) => p.nodePort as number).sort();
    assert.deepEqual(ports, [30000, 30001]);
    await assert.rejects(f.create(svc('b', { type: 'NodePort', ports: [{ port: 80 }] })), /failed to allocate a nodePort: range is full/);
    // Back to ClusterIP with the node ports still in the body: they are dropped.
    const back = await f.update(structuredClone({ ...np, spec: { ...(np.spec as any), type: 'ClusterIP' } }));
    assert.ok((back.spec as any).ports.every((p: any) => p.nodePort === undefined));
    assert.equal((back.spec as any).clusterIP, ip);
    const b = await f.create(svc('b', { type: 'NodePort', ports: [{ port: 80 }] }));
    assert.ok([30000, 30001].includes((b.spec as any).ports[0].nodePort));
  });

  test('update: keeping its own explicit node port is fine, taking another one is not', async () => {
    const f = fixture();
    await f.create(svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }));
    await f.create(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30501 }] }));
    const a = structuredClone(f.stored[0]!);
    await f.update(a);
    (a.spec as any).ports[0].nodePort = 30501;
    const e = await rejection(f.update(a));
    assert.match(e.message, /spec\.ports\[0\]\.nodePort: Invalid value: 30501: provided port is already allocated/);
  });

  test('update: ClusterIP -> ExternalName drops the address, ExternalName -> ClusterIP allocates', async () => {
    const f = fixture();
    const o = await f.create(svc('a', { ports: [{ port: 80 }] }));
    const en = await f.update(svc('a', { ...(o.spec as any), type: 'ExternalName', externalName: 'x.example' }));
    assert.equal((en.spec as any).clusterIP, undefined);
    const back = await f.update(svc('a', { type: 'ClusterIP', ports: [{ port: 80 }] }));
    assert.ok(inCIDR((back.spec as any).clusterIP, '10.96.0.0/12'));
  });

  test('other resources and subresources are ignored', async () => {
    const f = fixture();
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} };
    await f.plugin.admit(attrs(pod, { resource: findResource('', 'v1', 'pods')! }));
    assert.deepEqual(pod.spec, {});
    const status = svc('s', {});
    await f.plugin.admit(attrs(status, { operation: 'UPDATE', subresource: 'status', oldObject: svc('s', {}) }));
    assert.deepEqual(status.spec, {});
  });
});

describe('ServiceAllocation in the API server', () => {
  let ts: TestServer;
  const cidr = '10.96.0.0/12';
  before(async () => {
    const plugin = new ServiceAllocation({
      serviceCIDR: cidr,
      nodePortRange: '30000-32767',
      listServices: async () => (await ts.server.registry('', 'v1', 'services').list({ namespace: '' })).items,
    });
    ts = await startTestServer({ server: { admissionPlugins: [plugin] } });
  });
  after(async () => {
    await ts.close();
  });

  const post = (name: string, spec: Record<string, unknown>) => ts.post('/api/v1/namespaces/default/services', svc(name, spec));

  test('50 concurrent creates get distinct addresses inside the range', async () => {
    // A /26 leaves 61 dynamic addresses: random picks would collide without the
    // plugin's mutex and reservations (checked: with them off, ~4 of 25 collide).
    const small = '10.96.0.0/26';
    const ref: { ts?: TestServer } = {};
    const plugin = new ServiceAllocation({
      serviceCIDR: small,
      listServices: async () => (await ref.ts!.server.registry('', 'v1', 'services').list({ namespace: '' })).items,
    });
    const own = (ref.ts = await startTestServer({ server: { admissionPlugins: [plugin] } }));
    try {
      const res = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          own.post('/api/v1/namespaces/default/services', svc(`c${i}`, { selector: { app: 'x' }, ports: [{ port: 80 }] })),
        ),
      );
      for (const r of res) assert.equal(r.status, 201, r.text);
      const ips = res.map((r) => r.json.spec.clusterIP as string);
      assert.equal(new Set(ips).size, 50);
      for (const ip of ips) {
        assert.ok(inCIDR(ip, small), ip);
        assert.notEqual(ip, '10.96.0.1'); // the kubernetes Service's
      }
      const list = await own.get('/api/v1/services');
      const all = (list.json.items as KObject[]).map((s) => (s.spec as any).clusterIP as string);
      assert.equal(all.length, 51);
      assert.equal(new Set(all).size, all.length);
    } finally {
      await own.close();
    }
  });

  test('concurrent creates on the /12 server are distinct too', async () => {
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => post(`d${i}`, { ports: [{ port: 80 }] })));
    for (const r of res) assert.equal(r.status, 201, r.text);
    const ips = res.map((r) => r.json.spec.clusterIP as string);
    assert.equal(new Set(ips).size, 50);
    for (const ip of ips) assert.ok(inCIDR(ip, cidr), ip);
  });

  test('explicit IP honoured, a duplicate refused with 422', async () => {
    const a = await post('explicit', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.spec.clusterIP, '10.96.0.20');
    assert.deepEqual(a.json.spec.clusterIPs, ['10.96.0.20']);
    const b = await post('dup', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] });
    assert.equal(b.status, 422, b.text);
    assert.equal(b.json.reason, 'Invalid');
    assert.equal(b.json.message, 'Service "dup" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.20"]: failed to allocate IP 10.96.0.20: provided IP is already allocated');
    const k = await post('k2', { clusterIP: '10.96.0.1', ports: [{ port: 80 }] });
    assert.equal(k.status, 422, 'the kubernetes Service holds the first address');
  });

  test('NodePort allocation and refusal', async () => {
    const a = await post('np', { type: 'NodePort', ports: [{ port: 80 }] });
    assert.equal(a.status, 201, a.text);
    const np = a.json.spec.ports[0].nodePort as number;
    assert.ok(np >= 30000 && np <= 32767);
    const b = await post('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] });
    assert.equal(b.status, 422, b.text);
    assert.equal(b.json.message, `Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${np}: provided port is already allocated`);
  });

  test('headless stays headless', async () => {
    const r = await post('headless', { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.clusterIP, 'None');
  });

  test('update keeps the address, changing it is refused, delete releases it', async () => {
    const r = await post('upd', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] });
    assert.equal(r.status, 201, r.text);
    const put = await ts.put('/api/v1/namespaces/default/services/upd', { ...r.json, spec: { ports: [{ port: 80 }] } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.spec.clusterIP, '10.96.0.30');
    const bad = await ts.put('/api/v1/namespaces/default/services/upd', { ...put.json, spec: { ...put.json.spec, clusterIP: '10.96.0.31', clusterIPs: ['10.96.0.31'] } });
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.json.message, /spec\.clusterIPs\[0\]: Invalid value: \["10\.96\.0\.31"\]: may not change once set/);
    const del = await ts.del('/api/v1/namespaces/default/services/upd');
    assert.equal(del.status, 200, del.text);
    const again = await post('upd2', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] });
    assert.equal(again.status, 201, again.text);
  });
});
