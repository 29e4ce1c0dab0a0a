import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultIngressClass, defaultNetworkPolicy } from './networking.js';
import { defaultsFor } from './index.js';

test('NetworkPolicy: policyTypes from the rules, protocol TCP only when absent', () => {
  const cases: { name: string; spec: any; types: string[]; protocols: unknown[] }[] = [
    { name: 'nothing', spec: {}, types: ['Ingress'], protocols: [] },
    { name: 'egress rules', spec: { egress: [{ ports: [{ port: 53 }, { port: 53, protocol: 'UDP' }] }] }, types: ['Ingress', 'Egress'], protocols: ['TCP', 'UDP'] },
    { name: 'explicit types kept', spec: { policyTypes: ['Egress'], ingress: [{ ports: [{ protocol: '' }] }] }, types: ['Egress'], protocols: [''] },
  ];
  for (const c of cases) {
    const np: any = { spec: structuredClone(c.spec) };
    defaultNetworkPolicy(np);
    assert.deepEqual(np.spec.policyTypes, c.types, c.name);
    assert.deepEqual(np.spec.podSelector, {}, c.name);
    const ports = [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])].flatMap((r: any) => r.ports ?? []);
    assert.deepEqual(ports.map((p: any) => p.protocol), c.protocols, c.name);
  }
});

test('IngressClass: parameters scope defaults to Cluster; no parameters, nothing added', () => {
  const withParams: any = { spec: { controller: 'x.io/c', parameters: { kind: 'K', name: 'n' } } };
  defaultIngressClass(withParams);
  assert.equal(withParams.spec.parameters.scope, 'Cluster');
  const namespaced: any = { spec: { parameters: { kind: 'K', name: 'n', scope: 'Namespace' } } };
  defaultIngressClass(namespaced);
  assert.equal(namespaced.spec.parameters.scope, 'Namespace');
  const bare: any = { spec: { controller: 'x.io/c' } };
  defaultIngressClass(bare);
  assert.deepEqual(bare, { spec: { controller: 'x.io/c' } });
});

test('Ingress has no defaulting in v1 (pathType stays unset)', () => {
  assert.equal(defaultsFor('networking.k8s.io', 'v1', 'Ingress'), undefined);
});
