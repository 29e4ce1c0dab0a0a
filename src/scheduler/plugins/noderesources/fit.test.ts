import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { filterAll, harness, scoreAll } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

const node = () => makeNode('n1').capacity({ cpu: '10', memory: '20', pods: '32', 'example.com/gpu': '2' }).obj();
const existing = (cpu: string, mem: string): Pod => makePod(`e-${cpu}-${mem}`).node('n1').req({ cpu, memory: mem }).obj();

test('NodeResourcesFit Filter', () => {
  const cases: { name: string; pod: Pod; existing: Pod[]; wantCode: string; wantReasons: string[]; maxPods?: string }[] = [
    { name: 'no resources requested always fits', pod: makePod('p').container().obj(), existing: [existing('10', '20')], wantCode: 'Success', wantReasons: [] },
    { name: 'too many resources fails', pod: makePod('p').req({ cpu: '1', memory: '1' }).obj(), existing: [existing('10', '20')], wantCode: 'Unschedulable', wantReasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'fits when there is room', pod: makePod('p').req({ cpu: '1', memory: '1' }).obj(), existing: [existing('5', '5')], wantCode: 'Success', wantReasons: [] },
    { name: 'cpu only', pod: makePod('p').req({ cpu: '6' }).obj(), existing: [existing('5', '5')], wantCode: 'Unschedulable', wantReasons: ['Insufficient cpu'] },
    {
      name: 'init container larger than regular ones',
      pod: makePod('p').req({ cpu: '1', memory: '1' }).initReq({ cpu: '3', memory: '1' }).obj(),
      existing: [existing('8', '19')],
      wantCode: 'Unschedulable',
      wantReasons: ['Insufficient cpu'],
    },
    {
      name: 'init container smaller than the sum fits',
      pod: makePod('p').req({ cpu: '1', memory: '1' }).initReq({ cpu: '2', memory: '1' }).obj(),
      existing: [existing('8', '19')],
      wantCode: 'Success',
      wantReasons: [],
    },
    {
      name: 'sidecar (restartPolicy Always) counted as regular',
      pod: makePod('p').req({ cpu: '1' }).initReq({ cpu: '1' }, 'Always').obj(),
      existing: [existing('9', '0')],
      wantCode: 'Unschedulable',
      wantReasons: ['Insufficient cpu'],
    },
    { name: 'overhead counted', pod: makePod('p').req({ cpu: '1' }).overhead({ cpu: '1' }).obj(), existing: [existing('9', '0')], wantCode: 'Unschedulable', wantReasons: ['Insufficient cpu'] },
    { name: 'request above allocatable is unresolvable', pod: makePod('p').req({ cpu: '11' }).obj(), existing: [], wantCode: 'UnschedulableAndUnresolvable', wantReasons: ['Insufficient cpu'] },
    { name: 'extended resource available', pod: makePod('p').req({ 'example.com/gpu': '1' }).obj(), existing: [], wantCode: 'Success', wantReasons: [] },
    {
      name: 'extended resource exhausted',
      pod: makePod('p').req({ 'example.com/gpu': '1' }).obj(),
      existing: [makePod('g').node('n1').req({ 'example.com/gpu': '2' }).obj()],
      wantCode: 'Unschedulable',
      wantReasons: ['Insufficient example.com/gpu'],
    },
    { name: 'unknown extended resource', pod: makePod('p').req({ 'example.com/fpga': '1' }).obj(), existing: [], wantCode: 'UnschedulableAndUnresolvable', wantReasons: ['Insufficient example.com/fpga'] },
    {
      name: 'pod count',
      pod: makePod('p').container().obj(),
      existing: [makePod('a').node('n1').container().obj(), makePod('b').node('n1').container().obj()],
      maxPods: '2',
      wantCode: 'Unschedulable',
      wantReasons: ['Too many pods'],
    },
  ];
  for (const c of cases) {
    const n = c.maxPods === undefined ? node() : makeNode('n1').capacity({ cpu: '10', memory: '20', pods: c.maxPods }).obj();
    const h = harness([{ name: Names.NodeResourcesFit }], [n], c.existing);
    const { statuses } = filterAll(h, c.pod);
    const s = statuses.get('n1');
    assert.equal(s?.code, c.wantCode, c.name);
    assert.deepEqual(s?.reasons, c.wantReasons, c.name);
  }
});

test('NodeResourcesFit ignoredResources', () => {
  const h = harness([{ name: Names.NodeResourcesFit, args: { ignoredResources: ['example.com/fpga'] } }], [node()]);
  assert.equal(filterAll(h, makePod('p').req({ 'example.com/fpga': '1' }).obj()).statuses.get('n1')?.code, 'Success');
});

test('NodeResourcesFit Score: LeastAllocated (default) and MostAllocated', () => {
  const nodes = [makeNode('a').capacity({ cpu: '4', memory: '10000' }).obj(), makeNode('b').capacity({ cpu: '6', memory: '10000' }).obj()];
  const existingPods = [makePod('e').node('b').req({ cpu: '3', memory: '5000' }).obj()];
  const pod = makePod('p').req({ cpu: '1', memory: '2000' }).obj();
  const least = scoreAll(harness([{ name: Names.NodeResourcesFit }], nodes, existingPods), pod);
  // a: cpu (4000-1000)*100/4000=75, mem (10000-2000)*100/10000=80 -> 77
  // b: cpu (6000-4000)*100/6000=33, mem (10000-7000)*100/10000=30 -> 31
  assert.deepEqual([...least], [
    ['a', 77],
    ['b', 31],
  ]);
  const most = scoreAll(harness([{ name: Names.NodeResourcesFit, args: { scoringStrategy: { type: 'MostAllocated' } } }], nodes, existingPods), pod);
  // a: 25, 20 -> 22; b: 66, 70 -> 68
  assert.deepEqual([...most], [
    ['a', 22],
    ['b', 68],
  ]);
});

test('NodeResourcesFit Score: best-effort pods count the non-zero defaults', () => {
  const nodes = [makeNode('a').capacity({ cpu: '1', memory: `${400 * 1024 * 1024}` }).obj()];
  const s = scoreAll(harness([{ name: Names.NodeResourcesFit }], nodes), makePod('p').container().obj());
  // cpu (1000-100)*100/1000 = 90; memory (400-200)/400 = 50 -> 70
  assert.equal(s.get('a'), 70);
});

test('NodeResourcesBalancedAllocation Score', () => {
  const nodes = [makeNode('a').capacity({ cpu: '4', memory: '10000' }).obj(), makeNode('b').capacity({ cpu: '4', memory: '10000' }).obj()];
  const existingPods = [makePod('e').node('b').req({ cpu: '1', memory: '0' }).obj()];
  const h = harness([{ name: Names.NodeResourcesBalancedAllocation }], nodes, existingPods);
  const s = scoreAll(h, makePod('p').req({ cpu: '1', memory: '5000' }).obj());
  // a: 0.25 vs 0.5 -> std 0.125 -> 87; b: 0.5 vs 0.5 -> 100
  assert.deepEqual([...s], [
    ['a', 87],
    ['b', 100],
  ]);
  // Best-effort pods are skipped: every node scores 0 from this plugin.
  const be = scoreAll(h, makePod('q').container().obj());
  assert.deepEqual([...be], [
    ['a', 0],
    ['b', 0],
  ]);
});
