import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../apimachinery/errors.js';
import { defaultsFor } from '../defaults/index.js';
import { validationFor } from './index.js';

type Case = { name: string; kind: string; obj: any; old?: any; want: string[] };

const tmpl = (labels: Record<string, string> = { app: 'a' }, spec: any = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});
const dep = (spec: any = {}) => ({ metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'a' } }, template: tmpl(), ...spec } });
const pod = (spec: any) => ({ metadata: { name: 'p' }, spec });

/** Runs defaulting and then validation, returning upstream-formatted messages. */
function run(c: Case): string[] {
  const [group, kind] = c.kind.split('/') as [string, string];
  const obj = structuredClone(c.obj);
  defaultsFor(group, 'v1', kind)?.(obj);
  const v = validationFor(group, kind);
  assert.ok(v);
  let errs;
  if (c.old !== undefined) {
    const old = structuredClone(c.old);
    defaultsFor(group, 'v1', kind)?.(old);
    errs = v.validateUpdate ? v.validateUpdate(obj, old) : v.validate(obj);
  } else errs = v.validate(obj);
  return errs.map(formatFieldError);
}

const cases: Case[] = [
  { name: 'valid pod', kind: '/Pod', obj: pod({ containers: [{ name: 'c', image: 'nginx' }] }), want: [] },
  { name: 'pod without containers', kind: '/Pod', obj: pod({}), want: ['spec.containers: Required value'] },
  {
    name: 'container names',
    kind: '/Pod',
    obj: pod({ containers: [{ name: 'c', image: 'a' }, { name: 'c', image: 'b' }, { name: 'Bad', image: 'x' }, { image: 'y' }] }),
    want: [
      'spec.containers[1].name: Duplicate value: "c"',
      `spec.containers[2].name: Invalid value: "Bad": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      'spec.containers[3].name: Required value',
    ],
  },
  { name: 'image required', kind: '/Pod', obj: pod({ containers: [{ name: 'c' }] }), want: ['spec.containers[0].image: Required value'] },
  {
    name: 'ports',
    kind: '/Pod',
    obj: pod({ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }, {}] }] }),
    want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive', 'spec.containers[0].ports[1].containerPort: Required value'],
  },
  {
    name: 'enums',
    kind: '/Pod',
    obj: pod({ restartPolicy: 'Sometimes', dnsPolicy: 'Weird', containers: [{ name: 'c', image: 'x' }] }),
    want: [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Weird": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
  },
  {
    name: 'requests above limits',
    kind: '/Pod',
    obj: pod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }),
    want: ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  },
  {
    name: 'bad quantity',
    kind: '/Pod',
    obj: pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { memory: 'lots' } } }] }),
    // Defaulting copies limits into requests, so the bad value is reported for both (as upstream would).
    want: [
      `spec.containers[0].resources.limits[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      `spec.containers[0].resources.requests[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ],
  },
  {
    name: 'pod update may change image',
    kind: '/Pod',
    old: pod({ containers: [{ name: 'c', image: 'nginx:1' }] }),
    obj: pod({ containers: [{ name: 'c', image: 'nginx:2' }] }),
    want: [],
  },
  { name: 'deployment valid', kind: 'apps/Deployment', obj: dep(), want: [] },
  { name: 'deployment without selector', kind: 'apps/Deployment', obj: dep({ selector: undefined }), want: ['spec.selector: Required value'] },
  {
    name: 'deployment selector mismatch',
    kind: 'apps/Deployment',
    obj: dep({ selector: { matchLabels: { app: 'b' } } }),
    want: ['spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`'],
  },
  { name: 'negative replicas', kind: 'apps/Deployment', obj: dep({ replicas: -1 }), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'deployment template restartPolicy',
    kind: 'apps/Deployment',
    obj: dep({ template: tmpl({ app: 'a' }, { restartPolicy: 'Never' }) }),
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  },
  {
    name: 'deployment selector immutable',
    kind: 'apps/Deployment',
    old: dep(),
    obj: dep({ selector: { matchLabels: { app: 'a', x: 'y' } }, template: tmpl({ app: 'a', x: 'y' }) }),
    want: ['spec.selector: Invalid value: {"matchLabels":{"app":"a","x":"y"}}: field is immutable'],
  },
  {
    name: 'deployment rolling update both zero (values print as Go intstr)',
    kind: 'apps/Deployment',
    obj: dep({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }),
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'deployment maxSurge not a percent',
    kind: 'apps/Deployment',
    obj: dep({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50x' } } }),
    want: [
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"50x"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ],
  },
  {
    name: 'daemonset maxSurge with maxUnavailable',
    kind: 'apps/DaemonSet',
    obj: dep({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } }),
    want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero'],
  },
  {
    name: 'daemonset both zero',
    kind: 'apps/DaemonSet',
    obj: dep({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } } }),
    want: ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
  },
  {
    name: 'bad selector operator',
    kind: 'apps/ReplicaSet',
    obj: dep({ selector: { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'k', operator: 'In' }] } }),
    want: ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
  },
  {
    name: 'statefulset forbidden update',
    kind: 'apps/StatefulSet',
    old: dep({ serviceName: 'a' }),
    obj: dep({ serviceName: 'b' }),
    want: ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
  },
  {
    name: 'job restartPolicy Always',
    kind: 'batch/Job',
    obj: { metadata: { name: 'j' }, spec: { selector: { matchLabels: { app: 'a' } }, template: tmpl() } },
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
  },
  {
    name: 'job template immutable',
    kind: 'batch/Job',
    old: { metadata: { name: 'j' }, spec: { selector: { matchLabels: { app: 'a' } }, template: tmpl({ app: 'a' }, { restartPolicy: 'Never' }) } },
    obj: { metadata: { name: 'j' }, spec: { selector: { matchLabels: { app: 'a' } }, template: tmpl({ app: 'a', b: 'c' }, { restartPolicy: 'Never' }) } },
    want: ['spec.template: Invalid value: '],
  },
  {
    name: 'cronjob schedule',
    kind: 'batch/CronJob',
    obj: { metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: tmpl({}, { restartPolicy: 'OnFailure' }) } } } },
    want: ['spec.schedule: Required value'],
  },
  {
    name: 'service duplicate port names',
    kind: '/Service',
    obj: { metadata: { name: 's' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] } },
    want: ['spec.ports[1].name: Duplicate value: "http"'],
  },
  {
    name: 'service unnamed ports',
    kind: '/Service',
    obj: { metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 0, name: 'b' }] } },
    want: [
      'spec.ports[0].name: Required value',
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
  },
  {
    name: 'service clusterIP immutable',
    kind: '/Service',
    old: { metadata: { name: 's' }, spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] } },
    obj: { metadata: { name: 's' }, spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ports: [{ port: 80 }] } },
    want: ['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set'],
  },
  {
    name: 'configmap key',
    kind: '/ConfigMap',
    obj: { metadata: { name: 'c' }, data: { 'a b': 'x', ok: 'y' } },
    want: [
      `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ],
  },
  { name: 'configmap too big', kind: '/ConfigMap', obj: { metadata: { name: 'c' }, data: { k: 'x'.repeat(1024 * 1024 + 1) } }, want: [': Too long: may not be more than 1048576 bytes'] },
  { name: 'tls secret keys', kind: '/Secret', obj: { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': '' } }, want: ['data[tls.key]: Required value'] },
  { name: 'secret type immutable', kind: '/Secret', old: { metadata: { name: 's' } }, obj: { metadata: { name: 's' }, type: 'x/y' }, want: ['type: Invalid value: "x/y": field is immutable'] },
];

describe('validation', () => {
  for (const c of cases) {
    test(c.name, () => {
      const got = run(c);
      if (c.name === 'job template immutable') {
        assert.equal(got.length, 1, got.join('\n'));
        assert.ok(got[0]?.startsWith(c.want[0] as string) && got[0].endsWith('field is immutable'), got[0]);
        return;
      }
      assert.deepEqual(got, c.want);
    });
  }
});

test('pod update of another field is forbidden with upstream wording', () => {
  const old = pod({ containers: [{ name: 'c', image: 'x' }] });
  const next = pod({ containers: [{ name: 'c', image: 'x' }], hostname: 'h' });
  const got = run({ name: '', kind: '/Pod', old, obj: next, want: [] });
  assert.equal(got.length, 1);
  assert.ok(got[0]?.startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,'), got[0]);
  assert.match(got[0] ?? '', /\+ \thostname: "h"/);
});
