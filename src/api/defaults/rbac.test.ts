import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultsFor } from './index.js';

test('bindings: roleRef and User/Group subjects get the RBAC group, service accounts none', () => {
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    const def = defaultsFor('rbac.authorization.k8s.io', 'v1', kind);
    assert.ok(def, kind);
    const b: any = {
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'u' }, { kind: 'Group', name: 'g', apiGroup: '' }, { kind: 'ServiceAccount', name: 's', namespace: 'd' }, { kind: 'User', name: 'x', apiGroup: 'other' }],
    };
    def(b);
    assert.equal(b.roleRef.apiGroup, 'rbac.authorization.k8s.io');
    assert.deepEqual(
      b.subjects.map((s: any) => s.apiGroup),
      ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined, 'other'],
    );
  }
});
