import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const pod = (volumes: object[], mounts: object[] = [], container: object = {}) => ({
  metadata: { name: 'p', namespace: 'd' },
  spec: { volumes, containers: [{ name: 'c', image: 'nginx', volumeMounts: mounts, ...container }] },
});
const V = 'spec.volumes[0]';
const M = 'spec.containers[0].volumeMounts';
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const rows: Row[] = [
  {
    name: 'every common source, mounted',
    obj: pod(
      [
        { name: 'cache' },
        { name: 'cm', configMap: { name: 'c', items: [{ key: 'k', path: 'dir/file', mode: 0o400 }] } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o600 } },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'pvc' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } }] } },
        { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
        { name: 'csi', csi: { driver: 'secrets-store.csi.k8s.io', nodePublishSecretRef: { name: 'creds' } } },
        { name: 'nfs', nfs: { server: 'nfs.example.com', path: '/exports' } },
        { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
      ],
      [
        { name: 'cache', mountPath: '/cache' },
        { name: 'cm', mountPath: '/etc/cm', subPath: 'dir' },
        { name: 'data', mountPath: '/data', readOnly: true, recursiveReadOnly: 'IfPossible' },
      ],
    ),
    want: [],
  },
  {
    name: 'two sources in one volume',
    obj: pod([{ name: 'v', emptyDir: {}, configMap: { name: 'c' }, secret: { secretName: 's' } }]),
    want: [
      ['FieldValueForbidden', `${V}.secret: Forbidden: may not specify more than 1 volume type`],
      ['FieldValueForbidden', `${V}.configMap: Forbidden: may not specify more than 1 volume type`],
    ],
  },
  {
    name: "upstream's quirky paths for a second source",
    obj: pod([{ name: 'v', hostPath: { path: '/x' }, cephfs: { monitors: ['m'] }, downwardAPI: {} }]),
    want: [
      ['FieldValueForbidden', `${V}.cephFS: Forbidden: may not specify more than 1 volume type`],
      ['FieldValueForbidden', `${V}.downwarAPI: Forbidden: may not specify more than 1 volume type`],
    ],
  },
  {
    name: 'volume names',
    obj: pod([{ name: 'Data', emptyDir: {} }, { emptyDir: {} }, { name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }]),
    want: [
      ['FieldValueInvalid', `${V}.name: Invalid value: "Data": ${LABEL}`],
      ['FieldValueRequired', 'spec.volumes[1].name: Required value'],
      ['FieldValueDuplicate', 'spec.volumes[3].name: Duplicate value: "a"'],
    ],
  },
  {
    name: 'source essentials',
    obj: pod([
      { name: 'a', configMap: {} },
      { name: 'b', secret: { defaultMode: 0o1000 } },
      { name: 'c', hostPath: { path: '/a/../b', type: 'Dir' } },
      { name: 'd', persistentVolumeClaim: {} },
      { name: 'e', csi: {} },
    ]),
    want: [
      ['FieldValueRequired', 'spec.volumes[0].configMap.name: Required value'],
      ['FieldValueRequired', 'spec.volumes[1].secret.secretName: Required value'],
      ['FieldValueInvalid', 'spec.volumes[1].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive'],
      ['FieldValueInvalid', `spec.volumes[2].hostPath.path: Invalid value: "/a/../b": must not contain '..'`],
      ['FieldValueNotSupported', 'spec.volumes[2].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'],
      ['FieldValueRequired', 'spec.volumes[3].persistentVolumeClaim.claimName: Required value'],
      ['FieldValueRequired', 'spec.volumes[4].csi.driver: Required value'],
      [
        'FieldValueInvalid',
        `spec.volumes[4].csi.driver: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
  },
  {
    name: 'item paths',
    obj: pod([{ name: 'a', configMap: { name: 'c', items: [{ key: '', path: '/abs' }, { key: 'k', path: '..data' }] } }]),
    want: [
      ['FieldValueRequired', `${V}.configMap.items[0].key: Required value`],
      ['FieldValueInvalid', `${V}.configMap.items[0].path: Invalid value: "/abs": must be a relative path`],
      ['FieldValueInvalid', `${V}.configMap.items[1].path: Invalid value: "..data": must not start with '..'`],
    ],
  },
  {
    name: 'downward API files (errors on the source path, as upstream)',
    obj: pod([{ name: 'a', downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } }, { path: 'y' }, { path: 'z', fieldRef: { fieldPath: 'spec.bogus' } }] } }]),
    want: [
      ['FieldValueNotSupported', `${V}.downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"`],
      ['FieldValueRequired', `${V}.downwardAPI: Required value: one of fieldRef and resourceFieldRef is required`],
      ['FieldValueInvalid', `${V}.downwardAPI.fieldRef.fieldPath: Invalid value: "spec.bogus": error converting fieldPath: field label not supported: spec.bogus`],
    ],
  },
  {
    name: 'projected sources',
    obj: pod([
      {
        name: 'a',
        projected: {
          sources: [
            { secret: { name: 's', items: [{ key: 'k', path: 'p' }] }, configMap: { name: 'c', items: [{ key: 'k', path: 'p' }] } },
            { serviceAccountToken: { path: 't', expirationSeconds: 60 } },
          ],
        },
      },
    ]),
    want: [
      ['FieldValueInvalid', `${V}.projected: Invalid value: "c": conflicting duplicate paths`],
      ['FieldValueForbidden', `${V}.projected.sources[0]: Forbidden: may not specify more than 1 volume type`],
      ['FieldValueInvalid', `${V}.projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes`],
    ],
  },
  {
    name: 'negative emptyDir size',
    obj: pod([{ name: 'a', emptyDir: { sizeLimit: '-1Gi' } }]),
    want: [['FieldValueForbidden', `${V}.emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity`]],
  },
  {
    name: 'ephemeral needs a claim template',
    obj: pod([{ name: 'a', ephemeral: {} }]),
    want: [['FieldValueRequired', `${V}.ephemeral.volumeClaimTemplate: Required value`]],
  },
  {
    name: 'mounts: unknown volume, missing fields, duplicate path',
    obj: pod([{ name: 'a', emptyDir: {} }], [{ name: 'b', mountPath: '/x' }, { mountPath: '/x' }, { name: 'a' }]),
    want: [
      ['FieldValueNotFound', `${M}[0].name: Not found: "b"`],
      ['FieldValueRequired', `${M}[1].name: Required value`],
      ['FieldValueNotFound', `${M}[1].name: Not found: ""`],
      ['FieldValueInvalid', `${M}[1].mountPath: Invalid value: "/x": must be unique`],
      ['FieldValueRequired', `${M}[2].mountPath: Required value`],
    ],
  },
  {
    name: 'a mount of an invalid volume is not found either',
    obj: pod([{ name: 'a', configMap: {} }], [{ name: 'a', mountPath: '/a' }]),
    want: [
      ['FieldValueRequired', `${V}.configMap.name: Required value`],
      ['FieldValueNotFound', `${M}[0].name: Not found: "a"`],
    ],
  },
  {
    name: 'mount options',
    obj: pod(
      [{ name: 'a', emptyDir: {} }],
      [
        { name: 'a', mountPath: '/a', subPath: '../x', subPathExpr: '$(X)' },
        { name: 'a', mountPath: '/b', mountPropagation: 'Bidirectional' },
        { name: 'a', mountPath: '/c', recursiveReadOnly: 'Enabled' },
      ],
    ),
    want: [
      ['FieldValueInvalid', `${M}.subPath: Invalid value: "../x": must not contain '..'`],
      ['FieldValueInvalid', `${M}[0].subPathExpr: Invalid value: "$(X)": subPathExpr and subPath are mutually exclusive`],
      ['FieldValueForbidden', `${M}[1].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers`],
      ['FieldValueForbidden', `${M}[2].recursiveReadOnly: Forbidden: may only be specified when readOnly is true`],
    ],
  },
  {
    name: 'init containers see the volumes too',
    obj: { metadata: { name: 'p' }, spec: { volumes: [{ name: 'a' }], initContainers: [{ name: 'i', image: 'x', volumeMounts: [{ name: 'a', mountPath: '/a' }] }], containers: [{ name: 'c', image: 'x' }] } },
    want: [],
  },
];

describe('pod volumes', () => {
  for (const r of rows) test(r.name, () => assert.deepEqual(validateAs('/Pod', r.obj, r.old), r.want));
});

test('workload templates get the same volume checks', () => {
  const d = {
    metadata: { name: 'd' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }], containers: [{ name: 'c', image: 'x' }] } },
    },
  };
  assert.deepEqual(validateAs('apps/Deployment', d), [['FieldValueForbidden', 'spec.template.spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type']]);
});
