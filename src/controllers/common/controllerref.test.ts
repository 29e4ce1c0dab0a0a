import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { selectorFromSet } from '../../apimachinery/labels.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import type { RestClient } from '../../client/rest.js';
import { startTestEnv, type TestEnv } from '../../client/testenv.js';
import type { KubeObject, OwnerReference } from '../../client/types.js';
import { claimObjects, newControllerRef, type ClaimOptions } from './controllerref.js';
import { GVR, type Obj } from './types.js';

const NS = 'default';
const HOLD = 'example.com/hold';

describe('claimObjects (in-process API server)', () => {
  let env: TestEnv;
  let client: RestClient;
  before(async () => {
    env = await startTestEnv();
    client = env.client();
  });
  after(async () => {
    await env.close();
  });

  let n = 0;
  const owner = async (labels: Record<string, string>): Promise<KubeObject> =>
    client.create({ ...GVR.replicaSets, namespace: NS }, {
      metadata: { name: `rs-${++n}` },
      spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
  const pod = async (name: string, labels: Record<string, string>, refs: OwnerReference[] = []): Promise<Obj<Pod>> =>
    client.create<Obj<Pod>>({ ...GVR.pods, namespace: NS }, {
      metadata: { name, labels, ...(refs.length > 0 ? { ownerReferences: refs } : {}) },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
  const getPod = (name: string): Promise<Obj<Pod>> => client.get<Obj<Pod>>({ ...GVR.pods, namespace: NS, name });
  const opts = (o: KubeObject, labels: Record<string, string>, extra: Partial<ClaimOptions<Obj<Pod>>> = {}): ClaimOptions<Obj<Pod>> => ({
    client,
    owner: o,
    ownerApiVersion: 'apps/v1',
    ownerKind: 'ReplicaSet',
    gvr: GVR.pods,
    selector: selectorFromSet(labels),
    ...extra,
  });

  const cases: {
    name: string;
    /** Creates the candidate (and whatever else) for owner o, whose selector is app=<tag>. */
    setup: (o: KubeObject, tag: string) => Promise<Obj<Pod>>;
    extra?: Partial<ClaimOptions<Obj<Pod>>>;
    wantClaimed: boolean;
    /** The candidate's controller afterwards: 'owner', 'other' or 'none'. */
    wantController: 'owner' | 'other' | 'none';
    wantFinalizers?: string[];
  }[] = [
    { name: 'a matching orphan is adopted', setup: (_o, tag) => pod(`orphan-${tag}`, { app: tag }), wantClaimed: true, wantController: 'owner' },
    {
      name: 'adoption adds the requested finalizers',
      setup: (_o, tag) => pod(`fin-${tag}`, { app: tag }),
      extra: { adoptFinalizers: [HOLD] },
      wantClaimed: true,
      wantController: 'owner',
      wantFinalizers: [HOLD],
    },
    { name: 'an orphan that does not match is left alone', setup: (_o, tag) => pod(`other-${tag}`, { app: `${tag}-x` }), wantClaimed: false, wantController: 'none' },
    {
      name: 'an owned object that matches is kept',
      setup: (o, tag) => pod(`owned-${tag}`, { app: tag }, [newControllerRef(o, 'apps/v1', 'ReplicaSet')]),
      wantClaimed: true,
      wantController: 'owner',
    },
    {
      name: 'an owned object that stopped matching is released',
      setup: (o, tag) => pod(`stray-${tag}`, { app: `${tag}-x` }, [newControllerRef(o, 'apps/v1', 'ReplicaSet')]),
      wantClaimed: false,
      wantController: 'none',
    },
    {
      name: "another controller's object is left alone",
      setup: async (_o, tag) => pod(`theirs-${tag}`, { app: tag }, [newControllerRef(await owner({ app: `${tag}-other` }), 'apps/v1', 'ReplicaSet')]),
      wantClaimed: false,
      wantController: 'other',
    },
    {
      name: 'a stale cached copy is still adopted (the write is recomputed from the latest state)',
      setup: async (_o, tag) => {
        const cached = await pod(`stale-${tag}`, { app: tag });
        await client.patch({ ...GVR.pods, namespace: NS, name: cached.metadata?.name ?? '' }, 'merge', { metadata: { annotations: { touched: 'yes' } } });
        return cached;
      },
      wantClaimed: true,
      wantController: 'owner',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const tag = `t${++n}`;
      const o = await owner({ app: tag });
      const candidate = await c.setup(o, tag);
      const claimed = await claimObjects([candidate], opts(o, { app: tag }, c.extra));
      assert.deepEqual(
        claimed.map((p) => p.metadata?.name),
        c.wantClaimed ? [candidate.metadata?.name] : [],
      );
      const latest = await getPod(candidate.metadata?.name ?? '');
      const ref = getControllerOf(latest);
      const controller = ref === undefined ? 'none' : ref.uid === o.metadata?.uid ? 'owner' : 'other';
      assert.equal(controller, c.wantController);
      if (c.wantFinalizers !== undefined) assert.deepEqual(latest.metadata?.finalizers, c.wantFinalizers);
      if (c.wantClaimed && c.wantController === 'owner') assert.equal(getControllerOf(claimed[0])?.uid, o.metadata?.uid, 'claimed copy shows the owner');
      if (latest.metadata?.finalizers !== undefined) await client.patch({ ...GVR.pods, namespace: NS, name: latest.metadata.name ?? '' }, 'merge', { metadata: { finalizers: null } });
    });
  }

  const refusals: { name: string; owner: (tag: string) => Promise<KubeObject>; wantError: RegExp }[] = [
    {
      name: 'an owner that is gone adopts nothing',
      owner: async (tag) => {
        const o = await owner({ app: tag });
        await client.delete({ ...GVR.replicaSets, namespace: NS, name: o.metadata?.name ?? '' });
        return o;
      },
      wantError: /not found/,
    },
    {
      name: 'an owner replaced under the same name adopts nothing',
      owner: async (tag) => {
        const o = await owner({ app: tag });
        await client.delete({ ...GVR.replicaSets, namespace: NS, name: o.metadata?.name ?? '' });
        await client.create({ ...GVR.replicaSets, namespace: NS }, { ...o, metadata: { name: o.metadata?.name } });
        return o;
      },
      wantError: /is gone: got uid/,
    },
  ];
  for (const c of refusals) {
    test(c.name, async () => {
      const tag = `t${++n}`;
      const o = await c.owner(tag);
      const orphan = await pod(`orphan-${tag}`, { app: tag });
      await assert.rejects(claimObjects([orphan], opts(o, { app: tag })), c.wantError);
      assert.equal(getControllerOf(await getPod(orphan.metadata?.name ?? '')), undefined);
    });
  }
});
