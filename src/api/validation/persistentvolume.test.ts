import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPV } from '../defaults/core.js';
import { validateAs, type Row } from './testing.js';

const pv = (spec: object) => ({ metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec } });
const hostPath = { hostPath: { path: '/data' } };
const nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };

const rows: Row[] = [
  { name: 'valid hostPath', obj: pv(hostPath), want: [] },
  { name: 'valid local with node affinity', obj: pv({ local: { path: '/mnt/disk' }, nodeAffinity, storageClassName: 'local' }), want: [] },
  { name: 'valid csi', obj: pv({ csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' }, persistentVolumeReclaimPolicy: 'Delete' }), want: [] },
  {
    name: 'capacity and access modes required',
    obj: { metadata: { name: 'pv1' }, spec: hostPath },
    want: [
      ['FieldValueRequired', 'spec.accessModes: Required value'],
      ['FieldValueRequired', 'spec.capacity: Required value'],
      ['FieldValueNotSupported', 'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"'],
    ],
  },
  {
    name: 'capacity holds storage only, and more than zero',
    obj: pv({ ...hostPath, capacity: { storage: '0', cpu: '1' } }),
    want: [
      [
        'FieldValueNotSupported',
        'spec.capacity: Unsupported value: core.ResourceList{"cpu":resource.Quantity{i:resource.int64Amount{value:1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1", Format:"DecimalSI"}, "storage":resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"0", Format:"DecimalSI"}}: supported values: "storage"',
      ],
      ['FieldValueInvalid', 'spec.capacity[storage]: Invalid value: "0": must be greater than zero'],
    ],
  },
  {
    name: 'access modes and enums',
    obj: pv({ ...hostPath, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'WriteOnly'], persistentVolumeReclaimPolicy: 'Keep', volumeMode: 'Raw' }),
    want: [
      ['FieldValueNotSupported', 'spec.accessModes: Unsupported value: "WriteOnly": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
      ['FieldValueForbidden', 'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes'],
      ['FieldValueNotSupported', 'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"'],
      ['FieldValueNotSupported', 'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'],
    ],
  },
  { name: 'no source', obj: pv({}), want: [['FieldValueRequired', 'spec: Required value: must specify a volume type']] },
  {
    name: 'two sources',
    obj: pv({ ...hostPath, nfs: { server: 'nfs.example.com', path: '/exports' } }),
    want: [['FieldValueForbidden', 'spec.nfs: Forbidden: may not specify more than 1 volume type']],
  },
  {
    name: 'source fields',
    obj: pv({ csi: { driver: '' } }),
    want: [
      ['FieldValueRequired', 'spec.csi.driver: Required value'],
      [
        'FieldValueInvalid',
        `spec.csi.driver: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
      ['FieldValueRequired', 'spec.csi.volumeHandle: Required value'],
    ],
  },
  { name: 'local needs node affinity', obj: pv({ local: { path: '/mnt' } }), want: [['FieldValueRequired', 'spec.nodeAffinity: Required value: Local volume requires node affinity']] },
  {
    name: 'node affinity terms',
    obj: pv({ ...hostPath, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } }),
    want: [['FieldValueRequired', "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
  },
  {
    name: 'recycling a hostPath of /',
    obj: pv({ hostPath: { path: '/' }, persistentVolumeReclaimPolicy: 'Recycle' }),
    want: [['FieldValueForbidden', "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"]],
  },
  { name: 'update: capacity, reclaim policy and claimRef may change', old: pv(hostPath), obj: pv({ ...hostPath, capacity: { storage: '2Gi' }, persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'd', name: 'c' } }), want: [] },
  {
    name: 'update: the source is immutable',
    old: pv(hostPath),
    obj: pv({ hostPath: { path: '/other' } }),
    want: [
      [
        'FieldValueForbidden',
        'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n  core.PersistentVolumeSource{\n- \thostPath: {"path":"/data","type":""},\n+ \thostPath: {"path":"/other","type":""},\n  }',
      ],
    ],
  },
];

for (const r of rows) test(`PersistentVolume: ${r.name}`, () => assert.deepEqual(validateAs('/PersistentVolume', r.obj, r.old), r.want));

test('PersistentVolume defaults: reclaim policy, volume mode, source defaults', () => {
  const obj: any = { spec: { rbd: { monitors: ['m'], image: 'i' }, hostPath: { path: '/x' } } };
  defaultPV(obj);
  assert.equal(obj.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(obj.spec.volumeMode, 'Filesystem');
  assert.deepEqual(obj.spec.rbd, { monitors: ['m'], image: 'i', pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' });
  assert.deepEqual(obj.spec.hostPath, { path: '/x', type: '' });
  assert.equal(obj.status.phase, 'Pending');
});
