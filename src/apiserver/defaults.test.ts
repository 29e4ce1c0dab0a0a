/**
 * strategyFor composes upstream defaulting and validation into each kind's Strategy.
 * These run the strategy the way the registry does (defaults, prepareForCreate,
 * validate; defaults, validateUpdate) without a server, because the in-process test
 * server keeps server.ts's own strategyFor until it is switched over.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../apimachinery/errors.js';
import { findResource } from '../api/resources.js';
import { strategyFor } from './registry/strategies/index.js';
import type { KObject, Strategy } from './registry/strategy.js';
import { deployment, pod } from './testharness.js';

function strategy(group: string, version: string, resource: string): Strategy {
  const info = findResource(group, version, resource);
  assert.ok(info, `${group}/${version}/${resource}`);
  return strategyFor(info);
}

function create(s: Strategy, obj: KObject, uid = 'uid-1'): { obj: KObject; errs: string[] } {
  const o = structuredClone(obj);
  o.metadata = { uid, ...(o.metadata ?? {}) };
  s.defaults?.(o);
  s.prepareForCreate?.(o);
  return { obj: o, errs: (s.validate?.(o) ?? []).map(formatFieldError) };
}

function update(s: Strategy, obj: KObject, old: KObject): string[] {
  const o = structuredClone(obj);
  s.defaults?.(o);
  s.prepareForUpdate?.(o, old, undefined);
  return (s.validateUpdate?.(o, old) ?? []).map(formatFieldError);
}

describe('strategyFor', () => {
  test('pods are defaulted, keep status and grace handling, and validate', () => {
    const s = strategy('', 'v1', 'pods');
    const { obj, errs } = create(s, pod('p'));
    assert.deepEqual(errs, []);
    assert.equal(obj.spec.restartPolicy, 'Always');
    assert.equal(obj.spec.containers[0].imagePullPolicy, 'Always');
    assert.equal(obj.status.phase, 'Pending');
    assert.equal(s.defaultGracePeriodSeconds?.(obj), 0);
    assert.deepEqual(create(s, pod('q', {}, { containers: [] })).errs, ['spec.containers: Required value']);
  });

  test('a pod stored without defaults may still have its image updated', () => {
    const s = strategy('', 'v1', 'pods');
    const old = pod('p');
    const next = structuredClone(old);
    next.spec.containers[0].image = 'busybox:2';
    assert.deepEqual(update(s, next, old), []);
  });

  test('namespaces keep their own strategy', () => {
    const s = strategy('', 'v1', 'namespaces');
    const { obj } = create(s, { metadata: { name: 'ns1' } });
    assert.equal(obj.metadata?.labels['kubernetes.io/metadata.name'], 'ns1');
    assert.deepEqual(obj.spec.finalizers, ['kubernetes']);
    assert.equal(s.hasStatus, true);
  });

  test('deployments are defaulted and their selector is immutable', () => {
    const s = strategy('apps', 'v1', 'deployments');
    assert.equal(s.tracksGeneration, true);
    const { obj, errs } = create(s, deployment('web'));
    assert.deepEqual(errs, []);
    assert.equal(obj.spec.revisionHistoryLimit, 10);
    const next = structuredClone(obj);
    next.spec.selector = { matchLabels: { app: 'web', v: '2' } };
    next.spec.template.metadata.labels.v = '2';
    assert.deepEqual(update(s, next, obj), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable']);
  });

  test('jobs get the generated controller-uid selector on create', () => {
    const s = strategy('batch', 'v1', 'jobs');
    const job = { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] } } } };
    const { obj, errs } = create(s, job, 'abc');
    assert.deepEqual(errs, []);
    assert.deepEqual(obj.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } });
    assert.equal(obj.spec.template.metadata.labels['job-name'], 'pi');
    assert.equal(obj.spec.backoffLimit, 6);
  });

  test('kinds without rules are unchanged', () => {
    const s = strategy('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas');
    assert.equal(s.defaults, undefined);
    assert.equal(s.validate, undefined);
  });
});
