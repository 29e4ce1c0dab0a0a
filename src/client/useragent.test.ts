import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { KUBE_GIT_VERSION, versionInfo } from '../apiserver/version.js';
import { addUserAgent, defaultKubernetesUserAgent, KUBE_CONTROLLER_MANAGER, serviceAccountUsername } from './useragent.js';

describe('User-Agent strings', () => {
  const v = versionInfo();
  // client-go keeps the version up to its first '-' and the commit's first 7 characters.
  const version = KUBE_GIT_VERSION.split('-')[0] ?? '';
  const commit = (v['gitCommit'] ?? '').slice(0, 7);
  const cases: { name: string; got: () => string; want: string }[] = [
    { name: 'a component', got: () => defaultKubernetesUserAgent('kubelet'), want: `kubelet/${version} (${v['platform'] ?? ''}) kubernetes/${commit}` },
    {
      name: 'a controller, by its service account',
      got: () => addUserAgent(defaultKubernetesUserAgent(KUBE_CONTROLLER_MANAGER), serviceAccountUsername('kube-system', 'deployment-controller')),
      want: `kube-controller-manager/${version} (${v['platform'] ?? ''}) kubernetes/${commit}/system:serviceaccount:kube-system:deployment-controller`,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(c.got(), c.want));

  test('the shape upstream parses: command/version (os/arch) kubernetes/commit', () => {
    assert.match(defaultKubernetesUserAgent('kube-scheduler'), /^kube-scheduler\/v1\.32\.\d+\S* \([a-z0-9]+\/[a-z0-9]+\) kubernetes\/[^/ ]{1,7}$/);
  });
});
