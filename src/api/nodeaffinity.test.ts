import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NodeSelectorRequirement, Pod } from 'kubernetes-types/core/v1.js';
import { nodeSelectorTermMatches, podMatchesNodeSelectorAndAffinityTerms } from './nodeaffinity.js';

const node: Node = { metadata: { name: 'n1', labels: { zone: 'a', gen: '5', disk: 'ssd' } } };

test('a term: label requirements and metadata.name fields, as upstream parses them', () => {
  const rows: { name: string; exprs?: NodeSelectorRequirement[]; fields?: NodeSelectorRequirement[]; want: boolean }[] = [
    { name: 'In matches', exprs: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }], want: true },
    { name: 'NotIn on an absent label matches', exprs: [{ key: 'rack', operator: 'NotIn', values: ['x'] }], want: true },
    { name: 'In without values is invalid', exprs: [{ key: 'zone', operator: 'In', values: [] }], want: false },
    { name: 'Exists / DoesNotExist', exprs: [{ key: 'disk', operator: 'Exists' }, { key: 'gpu', operator: 'DoesNotExist' }], want: true },
    { name: 'Gt compares integers', exprs: [{ key: 'gen', operator: 'Gt', values: ['4'] }], want: true },
    { name: 'Lt compares integers', exprs: [{ key: 'gen', operator: 'Lt', values: ['5'] }], want: false },
    { name: 'Gt with a non-integer is invalid', exprs: [{ key: 'gen', operator: 'Gt', values: ['x'] }], want: false },
    { name: 'an unknown operator matches nothing', exprs: [{ key: 'zone', operator: 'Like', values: ['a'] }], want: false },
    { name: 'metadata.name In', fields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }], want: true },
    { name: 'metadata.name NotIn', fields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }], want: false },
    { name: 'fields need exactly one value', fields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }], want: false },
    { name: 'only metadata.name is a field', fields: [{ key: 'spec.unschedulable', operator: 'In', values: ['false'] }], want: false },
    { name: 'an empty term matches nothing', want: false },
  ];
  for (const r of rows) {
    assert.equal(nodeSelectorTermMatches({ ...(r.exprs ? { matchExpressions: r.exprs } : {}), ...(r.fields ? { matchFields: r.fields } : {}) }, node), r.want, r.name);
  }
});

test('a pod: nodeSelector and required affinity must both admit the node; any term will do', () => {
  const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ spec: { containers: [], ...spec } });
  assert.equal(podMatchesNodeSelectorAndAffinityTerms(pod({}), node), true);
  assert.equal(podMatchesNodeSelectorAndAffinityTerms(pod({ nodeSelector: { zone: 'a' } }), node), true);
  assert.equal(podMatchesNodeSelectorAndAffinityTerms(pod({ nodeSelector: { zone: 'b' } }), node), false);
  const affinity = (terms: NodeSelectorRequirement[][]) => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((t) => ({ matchExpressions: t })) } },
  });
  assert.equal(podMatchesNodeSelectorAndAffinityTerms(pod({ affinity: affinity([[{ key: 'zone', operator: 'In', values: ['z'] }], [{ key: 'disk', operator: 'Exists' }]]) }), node), true);
  assert.equal(podMatchesNodeSelectorAndAffinityTerms(pod({ nodeSelector: { zone: 'b' }, affinity: affinity([[{ key: 'disk', operator: 'Exists' }]]) }), node), false);
  assert.equal(podMatchesNodeSelectorAndAffinityTerms(pod({ affinity: affinity([]) }), node), false, 'required affinity without terms admits nothing');
});
