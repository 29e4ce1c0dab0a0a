import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { eventually, flush } from '../../client/testenv.js';
import { rfc3339 } from '../../util/clock.js';
import {
  createNode,
  createRunningPod,
  editNode,
  events,
  getPod,
  podGone,
  podOn,
  readyNode,
  startControllerEnv,
  type ControllerTestEnv,
} from '../nodelifecycle/testing.js';
import { newTaintEvictionController, type TaintEvictionController } from './controller.js';

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const NOT_READY: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

describe('taint eviction controller', () => {
  let t: ControllerTestEnv;
  let ctrl: TaintEvictionController;

  before(async () => {
    t = await startControllerEnv();
    ctrl = newTaintEvictionController(t.ctx);
    assert.equal(ctrl.name, 'taint-eviction-controller');
    await t.start(ctrl);
  });
  after(async () => {
    await t.close();
  });

  async function taint(node: string, ...taints: Taint[]): Promise<void> {
    await editNode(t.client, node, (n) => {
      (n.spec as { taints?: Taint[] }).taints = taints.map((x) => ({ ...x, timeAdded: rfc3339(t.clock.now()) }));
    });
  }

  async function settle(): Promise<void> {
    await flush(5);
    await ctrl.idle();
    await flush(5);
  }

  test('a pod that does not tolerate a NoExecute taint is deleted at once, marked DisruptionTarget first', async () => {
    await createNode(t.client, readyNode('n1', t.clock.now()));
    await createRunningPod(t.client, podOn('intolerant', 'n1'), t.clock.now());
    await createRunningPod(t.client, podOn('tolerates-noschedule-only', 'n1', [{ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoSchedule' }]), t.clock.now());
    await settle();
    assert.equal(await podGone(t.client, 'intolerant'), false, 'no taint yet');

    await taint('n1', UNREACHABLE);
    await eventually(() => podGone(t.client, 'intolerant'), 3_000, 'intolerant pod deleted');
    await eventually(() => podGone(t.client, 'tolerates-noschedule-only'), 3_000, 'second pod deleted');

    const pod = await getPod(t.client, 'intolerant');
    assert.ok(pod?.metadata?.deletionTimestamp, 'graceful deletion started (the kubelet would finish it)');
    const cond = pod?.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual(
      { status: cond?.status, reason: cond?.reason, message: cond?.message },
      { status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' },
    );
    await eventually(
      async () => (await events(t.client, 'default')).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/intolerant'),
      3_000,
      'TaintManagerEviction event',
    );
    const ev = (await events(t.client, 'default')).find((e) => e.message === 'Marking for deletion Pod default/intolerant');
    assert.equal(ev?.source.component, 'taint-eviction-controller');
    assert.equal(ev?.involvedObject.kind, 'Pod');
  });

  test('tolerationSeconds 300: deleted after 300 s of fake time, not before; no seconds: never', async () => {
    await createNode(t.client, readyNode('n2', t.clock.now()));
    await createRunningPod(t.client, podOn('p300', 'n2', [{ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), t.clock.now());
    await createRunningPod(t.client, podOn('forever', 'n2', [{ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute' }]), t.clock.now());
    await settle();

    await taint('n2', UNREACHABLE);
    await eventually(() => ctrl.scheduledEvictions().includes('default/p300'), 3_000, 'eviction scheduled');
    assert.ok(!ctrl.scheduledEvictions().includes('default/forever'));

    t.clock.advance(299_000);
    await settle();
    assert.equal(await podGone(t.client, 'p300'), false, 'still there after 299 s');

    t.clock.advance(1_000);
    await eventually(() => podGone(t.client, 'p300'), 3_000, 'p300 deleted at 300 s');

    t.clock.advance(3_600_000);
    await settle();
    assert.equal(await podGone(t.client, 'forever'), false, 'a toleration without seconds tolerates forever');
  });

  test('the shortest tolerationSeconds over the used tolerations wins', async () => {
    await createNode(t.client, readyNode('n3', t.clock.now()));
    await createRunningPod(
      t.client,
      podOn('two', 'n3', [
        { key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: NOT_READY.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ]),
      t.clock.now(),
    );
    await settle();
    await taint('n3', UNREACHABLE, NOT_READY);
    await eventually(() => ctrl.scheduledEvictions().includes('default/two'), 3_000, 'eviction scheduled');
    t.clock.advance(59_000);
    await settle();
    assert.equal(await podGone(t.client, 'two'), false);
    t.clock.advance(1_000);
    await eventually(() => podGone(t.client, 'two'), 3_000, 'deleted at 60 s');
  });

  test('removing the taint cancels the eviction', async () => {
    await createNode(t.client, readyNode('n4', t.clock.now()));
    await createRunningPod(t.client, podOn('saved', 'n4', [{ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), t.clock.now());
    await settle();
    await taint('n4', UNREACHABLE);
    await eventually(() => ctrl.scheduledEvictions().includes('default/saved'), 3_000, 'eviction scheduled');
    t.clock.advance(100_000);
    await taint('n4');
    await eventually(() => !ctrl.scheduledEvictions().includes('default/saved'), 3_000, 'eviction cancelled');
    t.clock.advance(600_000);
    await settle();
    assert.equal(await podGone(t.client, 'saved'), false);
    await eventually(
      async () => (await events(t.client, 'default')).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Cancelling deletion of Pod default/saved'),
      3_000,
      'cancel event',
    );
  });

  test('a pod bound to an already tainted node is judged on arrival; NoSchedule taints do not evict', async () => {
    await createNode(t.client, readyNode('n5', t.clock.now()));
    await taint('n5', { key: 'dedicated', value: 'x', effect: 'NoSchedule' }, UNREACHABLE);
    await settle();
    await createRunningPod(t.client, podOn('late', 'n5'), t.clock.now());
    await createRunningPod(t.client, podOn('late-ok', 'n5', [{ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute' }]), t.clock.now());
    await eventually(() => podGone(t.client, 'late'), 3_000, 'late pod deleted');
    await settle();
    assert.equal(await podGone(t.client, 'late-ok'), false, 'NoSchedule taint does not evict');
  });
});
