import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UP_FLAGS, validateUpOptions } from './up.js';

function defaults(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, f] of Object.entries(UP_FLAGS)) out[k] = f.default();
  return out;
}

test('validateUpOptions: defaults are upstream values', () => {
  const o = validateUpOptions(defaults());
  assert.equal(o.port, 6443);
  assert.equal(o.nodes, 1);
  assert.equal(o.nodeMonitorGracePeriodMs, 50_000);
  assert.equal(o.nodeMonitorPeriodMs, 5_000);
  assert.equal(o.defaultUnreachableTolerationSeconds, 300);
  assert.equal(o.defaultNotReadyTolerationSeconds, 300);
  assert.equal(o.nodeLeaseDurationSeconds, 40);
  assert.equal(o.compactionIntervalMs, 300_000);
  assert.deepEqual(o.nodeCapacity, { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' });
});

test('validateUpOptions: bad flags are refused with the flag named', () => {
  const cases: { name: string; flag: string; value: string; want: RegExp }[] = [
    { name: 'port', flag: 'port', value: '70000', want: /--port: invalid port/ },
    { name: 'nodes', flag: 'nodes', value: '-1', want: /--nodes: must be a whole number/ },
    { name: 'runtime', flag: 'runtime', value: 'docker', want: /--runtime: only "simulated"/ },
    { name: 'store', flag: 'store', value: 'etcd', want: /--store: must be sqlite or memory/ },
    { name: 'duration', flag: 'node-monitor-grace-period', value: '50', want: /--node-monitor-grace-period: invalid duration/ },
    { name: 'bool', flag: 'leader-elect', value: 'yes', want: /--leader-elect: must be true or false/ },
    { name: 'capacity', flag: 'node-capacity', value: 'cpu', want: /--node-capacity: "cpu" is not name=quantity/ },
    { name: 'tolerations', flag: 'default-unreachable-toleration-seconds', value: '1.5', want: /whole number of seconds/ },
  ];
  for (const c of cases) {
    assert.throws(() => validateUpOptions({ ...defaults(), [c.flag]: c.value }), c.want, c.name);
  }
});
