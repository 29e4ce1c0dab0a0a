import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPod, defaultPullPolicy, defaultService, defaultSecret, defaultPVC } from './core.js';
import { defaultDaemonSet, defaultDeployment, defaultStatefulSet } from './apps.js';
import { defaultCronJob, defaultJob, generateJobSelector } from './batch.js';
import { defaultHPAv2 } from './autoscaling.js';
import { defaultNetworkPolicy } from './networking.js';
import { defaultPriorityClass } from './scheduling.js';
import { defaultsFor } from './index.js';

const podSpec = (image = 'nginx') => ({ containers: [{ name: 'c', image, ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } }] });

describe('imagePullPolicy', () => {
  const cases = [
    { name: 'no tag', image: 'nginx', want: 'Always' },
    { name: 'latest', image: 'nginx:latest', want: 'Always' },
    { name: 'tag', image: 'nginx:1.25', want: 'IfNotPresent' },
    { name: 'registry port no tag', image: 'localhost:5000/app', want: 'Always' },
    { name: 'registry port with tag', image: 'localhost:5000/app:v1', want: 'IfNotPresent' },
    { name: 'digest', image: 'nginx@sha256:abc', want: 'IfNotPresent' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(defaultPullPolicy(c.image), c.want));
});

test('Pod defaults', () => {
  const pod: any = { metadata: { name: 'p' }, spec: podSpec() };
  pod.spec.containers[0].resources = { limits: { cpu: '1' } };
  defaultPod(pod);
  const s = pod.spec;
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, true);
  assert.equal(s.preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(s.priority, 0);
  const c = s.containers[0];
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.resources.requests, { cpu: '1' });
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  // Idempotent.
  const again = structuredClone(pod);
  defaultPod(again);
  assert.deepEqual(again, pod);
});

describe('workload defaults', () => {
  const tmpl = () => ({ metadata: { labels: { app: 'a' } }, spec: podSpec('nginx:1.0') });
  const cases: { name: string; kind: string; obj: any; want: (o: any) => void }[] = [
    {
      name: 'Deployment',
      kind: 'apps/Deployment',
      obj: { spec: { template: tmpl() } },
      want: (o) => {
        assert.equal(o.spec.replicas, 1);
        assert.deepEqual(o.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
        assert.equal(o.spec.revisionHistoryLimit, 10);
        assert.equal(o.spec.progressDeadlineSeconds, 600);
        assert.equal(o.spec.template.spec.restartPolicy, 'Always');
        assert.equal(o.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
        assert.equal(o.spec.template.spec.enableServiceLinks, undefined);
      },
    },
    {
      name: 'StatefulSet',
      kind: 'apps/StatefulSet',
      obj: { spec: { template: tmpl(), volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] } },
      want: (o) => {
        assert.equal(o.spec.podManagementPolicy, 'OrderedReady');
        assert.deepEqual(o.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
        assert.deepEqual(o.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
        assert.equal(o.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
      },
    },
    {
      name: 'DaemonSet',
      kind: 'apps/DaemonSet',
      obj: { spec: { template: tmpl() } },
      want: (o) => assert.deepEqual(o.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }),
    },
    {
      name: 'Job',
      kind: 'batch/Job',
      obj: { spec: { template: tmpl() } },
      want: (o) => {
        assert.equal(o.spec.parallelism, 1);
        assert.equal(o.spec.completions, 1);
        assert.equal(o.spec.backoffLimit, 6);
        assert.equal(o.spec.completionMode, 'NonIndexed');
        assert.equal(o.spec.suspend, false);
        assert.equal(o.spec.podReplacementPolicy, 'TerminatingOrFailed');
      },
    },
    {
      name: 'Job with parallelism keeps completions unset',
      kind: 'batch/Job',
      obj: { spec: { parallelism: 3, template: tmpl() } },
      want: (o) => assert.equal(o.spec.completions, undefined),
    },
    {
      name: 'CronJob',
      kind: 'batch/CronJob',
      obj: { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tmpl() } } } },
      want: (o) => {
        assert.equal(o.spec.concurrencyPolicy, 'Allow');
        assert.equal(o.spec.successfulJobsHistoryLimit, 3);
        assert.equal(o.spec.failedJobsHistoryLimit, 1);
        assert.equal(o.spec.suspend, false);
        assert.equal(o.spec.jobTemplate.spec.template.spec.restartPolicy, 'Always');
        assert.equal(o.spec.jobTemplate.spec.backoffLimit, undefined);
      },
    },
    {
      name: 'ReplicationController selector from template',
      kind: '/ReplicationController',
      obj: { spec: { template: tmpl() } },
      want: (o) => {
        assert.deepEqual(o.spec.selector, { app: 'a' });
        assert.deepEqual(o.metadata.labels, { app: 'a' });
        assert.equal(o.spec.replicas, 1);
      },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const [group, kind] = c.kind.split('/') as [string, string];
      const f = defaultsFor(group, 'v1', kind);
      assert.ok(f);
      f(c.obj);
      c.want(c.obj);
    });
  }
  void defaultDeployment;
  void defaultStatefulSet;
  void defaultDaemonSet;
  void defaultJob;
  void defaultCronJob;
});

test('Job selector generation', () => {
  const job: any = { metadata: { name: 'pi', uid: 'u1' }, spec: { template: { spec: podSpec() } } };
  generateJobSelector(job);
  assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } });
  assert.deepEqual(job.spec.template.metadata.labels, {
    'batch.kubernetes.io/controller-uid': 'u1',
    'controller-uid': 'u1',
    'batch.kubernetes.io/job-name': 'pi',
    'job-name': 'pi',
  });
  const manual: any = { metadata: { name: 'm', uid: 'u2' }, spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: {} } };
  generateJobSelector(manual);
  assert.deepEqual(manual.spec.selector, { matchLabels: { a: 'b' } });
});

describe('Service defaults', () => {
  const cases = [
    {
      name: 'ClusterIP',
      spec: { ports: [{ port: 80 }] },
      want: { type: 'ClusterIP', sessionAffinity: 'None', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] },
    },
    {
      name: 'NodePort',
      spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] },
      want: { type: 'NodePort', sessionAffinity: 'None', ports: [{ port: 80, protocol: 'TCP', targetPort: 'http' }], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] },
    },
    { name: 'ExternalName', spec: { type: 'ExternalName', externalName: 'x.example' }, want: { type: 'ExternalName', externalName: 'x.example', sessionAffinity: 'None' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const svc: any = { spec: structuredClone(c.spec) };
      defaultService(svc);
      assert.deepEqual(svc.spec, c.want);
    });
  }
});

test('small kinds', () => {
  const s: any = {};
  defaultSecret(s);
  assert.equal(s.type, 'Opaque');
  const pvc: any = { spec: {} };
  defaultPVC(pvc);
  assert.equal(pvc.spec.volumeMode, 'Filesystem');
  const hpa: any = { spec: {} };
  defaultHPAv2(hpa);
  assert.equal(hpa.spec.minReplicas, 1);
  assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  const hpa2: any = { spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } };
  defaultHPAv2(hpa2);
  assert.equal(hpa2.spec.behavior.scaleDown.stabilizationWindowSeconds, 60);
  assert.equal(hpa2.spec.behavior.scaleUp.policies.length, 2);
  const np: any = { spec: { egress: [{}] } };
  defaultNetworkPolicy(np);
  assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
  const pc: any = { value: 1 };
  defaultPriorityClass(pc);
  assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
});

test('volume defaults: modes, fieldRef apiVersion, token lifetime, emptyDir for no source', () => {
  const pod: any = {
    spec: {
      containers: [{ name: 'c', image: 'x' }],
      volumes: [
        { name: 'none' },
        { name: 'cm', configMap: { name: 'c' } },
        { name: 'd', downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }, { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }] } },
        { name: 'h', hostPath: { path: '/x' } },
      ],
    },
  };
  defaultPod(pod);
  const [none, cm, d, p, h] = pod.spec.volumes;
  assert.deepEqual(none, { name: 'none', emptyDir: {} });
  assert.equal(cm.configMap.defaultMode, 420);
  assert.equal(d.downwardAPI.defaultMode, 420);
  assert.equal(d.downwardAPI.items[0].fieldRef.apiVersion, 'v1');
  assert.equal(p.projected.defaultMode, 420);
  assert.equal(p.projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
  assert.equal(p.projected.sources[1].downwardAPI.items[0].fieldRef.apiVersion, 'v1');
  assert.equal(h.hostPath.type, '');
});
