import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { DefaultTolerationSeconds } from '../../apiserver/admission/defaulttolerationseconds.js';
import { eventually, flush } from '../../client/testenv.js';
import { newTaintEvictionController, type TaintEvictionController } from '../tainteviction/controller.js';
import {
  NODE_LIFECYCLE_DEFAULTS,
  computeZoneState,
  newNodeLifecycleController,
  validateNodeLifecycleOptions,
  zoneKey,
  type NodeLifecycleController,
} from './controller.js';
import {
  LEASES,
  NODES,
  createNode,
  createRunningPod,
  editNode,
  events,
  getNode,
  getPod,
  podGone,
  podOn,
  postStatus,
  readyNode,
  renewLease,
  startControllerEnv,
} from './testing.js';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' } as const;

function cond(n: Node | undefined, type: string) {
  return n?.status?.conditions?.find((c) => c.type === type);
}

function taintKeys(n: Node | undefined): string[] {
  return (n?.spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`).sort();
}

/** A cluster with the node lifecycle controller (and, optionally, taint eviction) on a fake clock. */
async function cluster(opts: { taintEviction?: boolean; admission?: boolean } = {}) {
  const t = await startControllerEnv(opts.admission ? { admissionPlugins: [new DefaultTolerationSeconds()] } : {});
  await t.client.create(NAMESPACES, { metadata: { name: 'kube-node-lease' } });
  const nlc = newNodeLifecycleController(t.ctx);
  const tec = opts.taintEviction ? newTaintEvictionController(t.ctx) : undefined;
  const leases = t.informers.forResource(LEASES);
  const nodes = t.informers.forResource(NODES);

  /** Renews the nodes' Leases (as their kubelets) and waits until the informer has them. */
  async function renew(...names: string[]): Promise<void> {
    const now = t.clock.now();
    for (const name of names) await renewLease(t.client, name, now);
    if (!leases.isStarted()) return;
    await eventually(
      () => names.every((name) => Date.parse((leases.lister().get('kube-node-lease', name) as Lease | undefined)?.spec?.renewTime ?? '') >= now - 1),
      3_000,
      'lease renewals in the cache',
    );
  }

  /** Waits until the informer's copy of the node satisfies fn. */
  async function cached(name: string, fn: (n: Node) => boolean): Promise<void> {
    await eventually(() => {
      const n = nodes.lister().get('', name) as Node | undefined;
      return n !== undefined && fn(n);
    });
  }

  /** Moves fake time by one monitor period (renewing the given Leases first) and waits for the pass. */
  async function step(renewing: string[] = [], ms = NODE_LIFECYCLE_DEFAULTS.nodeMonitorPeriodMs): Promise<void> {
    if (renewing.length > 0) await renew(...renewing);
    const before = nlc.completedPasses();
    t.clock.advance(ms);
    await eventually(() => nlc.completedPasses() > before, 3_000, 'a monitor pass');
    await nlc.whenIdle();
    await flush(3);
  }

  async function start(): Promise<void> {
    await t.start(nlc, ...(tec ? [tec] : []));
    await eventually(() => nlc.completedPasses() >= 1, 3_000, 'the first pass');
  }
  return { t, nlc, tec, renew, cached, step, start };
}

describe('node lifecycle controller options', () => {
  test('defaults are upstream 1.32 ones', () => {
    assert.deepEqual(validateNodeLifecycleOptions(), {
      nodeMonitorPeriodMs: 5_000,
      nodeMonitorGracePeriodMs: 50_000,
      nodeStartupGracePeriodMs: 60_000,
      nodeEvictionRate: 0.1,
      secondaryNodeEvictionRate: 0.01,
      largeClusterSizeThreshold: 50,
      unhealthyZoneThreshold: 0.55,
    });
  });
  const bad: { name: string; opts: Record<string, unknown>; want: RegExp }[] = [
    { name: 'zero period', opts: { nodeMonitorPeriodMs: 0 }, want: /--node-monitor-period must be greater than 0/ },
    { name: 'negative grace', opts: { nodeMonitorGracePeriodMs: -1 }, want: /--node-monitor-grace-period/ },
    { name: 'NaN startup grace', opts: { nodeStartupGracePeriodMs: Number.NaN }, want: /--node-startup-grace-period must be a finite number/ },
    { name: 'negative rate', opts: { nodeEvictionRate: -0.1 }, want: /--node-eviction-rate must not be negative/ },
    { name: 'fractional threshold', opts: { largeClusterSizeThreshold: 1.5 }, want: /--large-cluster-size-threshold/ },
    { name: 'threshold above 1', opts: { unhealthyZoneThreshold: 2 }, want: /--unhealthy-zone-threshold/ },
    { name: 'unknown option', opts: { nodeMonitorPeriod: 5 }, want: /unknown node lifecycle option nodeMonitorPeriod/ },
  ];
  for (const c of bad) {
    test(`refuses ${c.name}`, () => assert.throws(() => validateNodeLifecycleOptions(c.opts as never), c.want));
  }
  test('given values win', () => {
    assert.equal(validateNodeLifecycleOptions({ nodeMonitorGracePeriodMs: 40_000 }).nodeMonitorGracePeriodMs, 40_000);
  });
});

describe('zones', () => {
  test('zoneKey', () => {
    const n = (labels?: Record<string, string>): Node => ({ metadata: { name: 'n', ...(labels ? { labels } : {}) } });
    assert.equal(zoneKey(n()), '');
    assert.equal(zoneKey(n({ 'topology.kubernetes.io/zone': 'a', 'topology.kubernetes.io/region': 'r' })), 'r:\x00:a');
    assert.equal(zoneKey(n({ 'failure-domain.beta.kubernetes.io/zone': 'b', 'topology.kubernetes.io/zone': 'a' })), ':\x00:b');
  });
  const T = { type: 'Ready', status: 'True' };
  const F = { type: 'Ready', status: 'False' };
  const U = { type: 'Ready', status: 'Unknown' };
  const cases: { name: string; conds: ({ type: string; status: string } | undefined)[]; want: string }[] = [
    { name: 'all ready', conds: [T, T], want: 'Normal' },
    { name: 'one of two down', conds: [T, U], want: 'Normal' },
    { name: 'none ready', conds: [U, F], want: 'FullDisruption' },
    { name: 'a node without Ready counts as not ready', conds: [undefined], want: 'FullDisruption' },
    { name: '3 of 5 down (>= 55%)', conds: [T, T, U, U, F], want: 'PartialDisruption' },
    { name: '2 of 3 down: needs more than 2', conds: [T, U, U], want: 'Normal' },
    { name: '3 of 6 down (50%)', conds: [T, T, T, U, U, U], want: 'Normal' },
  ];
  for (const c of cases) {
    test(`computeZoneState: ${c.name}`, () => assert.equal(computeZoneState(c.conds, 0.55).state, c.want));
  }
});

describe('node lifecycle controller: a node whose kubelet stops', () => {
  let c: Awaited<ReturnType<typeof cluster>>;
  let nlc: NodeLifecycleController;
  let tec: TaintEvictionController;
  let t0: number;

  before(async () => {
    c = await cluster({ taintEviction: true, admission: true });
    nlc = c.nlc;
    tec = c.tec as TaintEvictionController;
    const { t } = c;
    t0 = t.clock.now();
    await createNode(t.client, readyNode('healthy', t0));
    await createNode(t.client, readyNode('stale', t0));
    await c.renew('healthy', 'stale');
    await createRunningPod(t.client, podOn('web', 'stale'), t0);
    await createRunningPod(t.client, podOn('api', 'healthy'), t0);
    await c.start();
  });
  after(async () => {
    await c.t.close();
  });

  test('cordon adds the unschedulable NoSchedule taint; uncordon removes it', async () => {
    const { t } = c;
    await editNode(t.client, 'healthy', (n) => ((n.spec as { unschedulable?: boolean }).unschedulable = true));
    await eventually(async () => taintKeys(await getNode(t.client, 'healthy')).includes('node.kubernetes.io/unschedulable:NoSchedule'), 3_000, 'unschedulable taint');
    const taint = (await getNode(t.client, 'healthy')).spec?.taints?.[0] as Taint;
    assert.ok(taint.timeAdded, 'the taint carries timeAdded');
    await editNode(t.client, 'healthy', (n) => delete (n.spec as { unschedulable?: boolean }).unschedulable);
    await eventually(async () => taintKeys(await getNode(t.client, 'healthy')).length === 0, 3_000, 'taint removed');
  });

  test('past the grace period: conditions Unknown, unreachable taints, pods not Ready, events', async () => {
    const { t } = c;
    // Until the grace period (50 s) has passed nothing happens to 'stale'.
    while (t.clock.now() - t0 < NODE_LIFECYCLE_DEFAULTS.nodeMonitorGracePeriodMs) {
      await c.step(['healthy']);
      assert.equal(cond(await getNode(t.client, 'stale'), 'Ready')?.status, 'True', `still Ready at +${(t.clock.now() - t0) / 1000}s`);
    }
    for (let i = 0; i < 3 && cond(await getNode(t.client, 'stale'), 'Ready')?.status === 'True'; i++) await c.step(['healthy']);
    assert.ok(t.clock.now() - t0 <= NODE_LIFECYCLE_DEFAULTS.nodeMonitorGracePeriodMs + 2 * NODE_LIFECYCLE_DEFAULTS.nodeMonitorPeriodMs);

    const stale = await getNode(t.client, 'stale');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const x = cond(stale, type);
      assert.deepEqual({ status: x?.status, reason: x?.reason, message: x?.message }, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }, type);
    }
    assert.equal(cond(await getNode(t.client, 'healthy'), 'Ready')?.status, 'True', 'the node renewing its Lease stays Ready');

    // The pod on it is not Ready any more; the one on the healthy node is.
    await eventually(async () => (await getPod(t.client, 'web'))?.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'False', 3_000, 'pod Ready False');
    assert.equal((await getPod(t.client, 'api'))?.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');

    // NoSchedule at once (TaintNodesByCondition), NoExecute from the next pass on.
    let n = await getNode(t.client, 'stale');
    for (let i = 0; i < 4 && !taintKeys(n).includes('node.kubernetes.io/unreachable:NoExecute'); i++) {
      await c.step(['healthy']);
      n = await getNode(t.client, 'stale');
    }
    assert.deepEqual(taintKeys(n), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    for (const x of n.spec?.taints ?? []) assert.match(x.timeAdded ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(taintKeys(await getNode(t.client, 'healthy')), []);

    await eventually(async () => {
      const evs = await events(t.client, 'default');
      return (
        evs.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Node' && e.message === 'Node stale status is now: NodeNotReady' && e.source.component === 'node-controller') &&
        evs.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Pod' && e.involvedObject.name === 'web' && e.type === 'Warning' && e.message === 'Node is not ready') &&
        evs.some((e) => e.reason === 'RegisteredNode' && e.message === 'Node stale event: Registered Node stale in Controller')
      );
    }, 3_000, 'NodeNotReady and RegisteredNode events');
  });

  test('the pod with the default 300 s toleration is evicted 300 s after the taint, not before', async () => {
    const { t } = c;
    const pod = await getPod(t.client, 'web');
    assert.ok(pod?.spec?.tolerations?.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.tolerationSeconds === 300), 'DefaultTolerationSeconds added it');
    await eventually(() => tec.scheduledEvictions().includes('default/web'), 3_000, 'eviction scheduled');
    const taintedAt = t.clock.now();
    while (t.clock.now() - taintedAt < 295_000) await c.step(['healthy']);
    await tec.idle();
    assert.equal(await podGone(t.client, 'web'), false, 'still there 295 s after the taint');
    await c.step(['healthy']);
    await eventually(() => podGone(t.client, 'web'), 3_000, 'evicted at 300 s');
    assert.equal(await podGone(t.client, 'api'), false);
  });

  test('when the kubelet comes back (Lease renewed, Ready posted) the taints go away', async () => {
    const { t } = c;
    await c.renew('stale');
    await postStatus(t.client, 'stale', t.clock.now(), 'True');
    await c.cached('stale', (n) => cond(n, 'Ready')?.status === 'True');
    await c.step(['healthy', 'stale']);
    await eventually(async () => taintKeys(await getNode(t.client, 'stale')).length === 0, 3_000, 'taints removed');
    // It stays healthy while it keeps renewing.
    for (let i = 0; i < 12; i++) await c.step(['healthy', 'stale']);
    const n = await getNode(t.client, 'stale');
    assert.equal(cond(n, 'Ready')?.status, 'True');
    assert.deepEqual(taintKeys(n), []);
    assert.equal(nlc.zones().get(''), 'Normal');
  });
});

describe('node lifecycle controller: other signals', () => {
  let c: Awaited<ReturnType<typeof cluster>>;
  before(async () => {
    c = await cluster();
  });
  after(async () => {
    await c.t.close();
  });

  test('Ready=False from the kubelet: not-ready taints; a node that never posted status: NodeStatusNeverUpdated after the startup grace', async () => {
    const { t } = c;
    const now = t.clock.now();
    await createNode(t.client, readyNode('ok', now));
    await createNode(t.client, readyNode('sick', now));
    await createNode(t.client, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'silent' } });
    await c.renew('ok', 'sick');
    await c.start();

    await postStatus(t.client, 'sick', t.clock.now(), 'False');
    await eventually(async () => taintKeys(await getNode(t.client, 'sick')).includes('node.kubernetes.io/not-ready:NoSchedule'), 3_000, 'not-ready NoSchedule');
    await c.cached('sick', (n) => cond(n, 'Ready')?.status === 'False');
    for (let i = 0; i < 3 && !taintKeys(await getNode(t.client, 'sick')).includes('node.kubernetes.io/not-ready:NoExecute'); i++) await c.step(['ok', 'sick']);
    assert.deepEqual(taintKeys(await getNode(t.client, 'sick')), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);

    // 'silent' has no Ready condition and no Lease: it gets the 60 s startup grace.
    const created = Date.parse((await getNode(t.client, 'silent')).metadata?.creationTimestamp ?? '');
    while (t.clock.now() - created <= NODE_LIFECYCLE_DEFAULTS.nodeStartupGracePeriodMs - 5_000) {
      await c.step(['ok', 'sick']);
      assert.equal(cond(await getNode(t.client, 'silent'), 'Ready'), undefined);
    }
    for (let i = 0; i < 3 && cond(await getNode(t.client, 'silent'), 'Ready') === undefined; i++) await c.step(['ok', 'sick']);
    const silent = await getNode(t.client, 'silent');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const x = cond(silent, type);
      assert.deepEqual({ status: x?.status, reason: x?.reason, message: x?.message }, { status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' }, type);
    }
    // 'sick' kept renewing and posting: its Ready=False stands, it is not Unknown.
    assert.equal(cond(await getNode(t.client, 'sick'), 'Ready')?.status, 'False');
  });
});

describe('node lifecycle controller: a lone node (master disruption mode)', () => {
  let c: Awaited<ReturnType<typeof cluster>>;
  before(async () => {
    c = await cluster();
  });
  after(async () => {
    await c.t.close();
  });

  test('when every node is not Ready, nothing is NoExecute-tainted (as upstream)', async () => {
    const { t } = c;
    await createNode(t.client, readyNode('only', t.clock.now()));
    await c.renew('only');
    await createRunningPod(t.client, podOn('p', 'only'), t.clock.now());
    await c.start();
    for (let i = 0; i < 14; i++) await c.step();
    const n = await getNode(t.client, 'only');
    assert.equal(cond(n, 'Ready')?.status, 'Unknown');
    assert.deepEqual(taintKeys(n), ['node.kubernetes.io/unreachable:NoSchedule']);
    assert.equal(c.nlc.zones().get(''), 'FullDisruption');
    await eventually(async () => (await getPod(t.client, 'p'))?.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'False', 3_000, 'pod Ready False');
    assert.ok(c.t.logs.some((l) => l.includes('entering master disruption mode')));
  });
});
