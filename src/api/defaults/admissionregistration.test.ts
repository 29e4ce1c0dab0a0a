import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMutatingWebhookConfiguration, defaultValidatingWebhookConfiguration } from './admissionregistration.js';

const hook = () => ({ name: 'a.example.com', rules: [{ operations: ['CREATE'] }], clientConfig: { service: { name: 's', namespace: 'n' } } });

test('webhook defaults (validating and mutating)', () => {
  const v: any = { webhooks: [hook()] };
  defaultValidatingWebhookConfiguration(v);
  assert.deepEqual(v.webhooks[0], {
    ...hook(),
    rules: [{ operations: ['CREATE'], scope: '*' }],
    clientConfig: { service: { name: 's', namespace: 'n', port: 443 } },
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
    timeoutSeconds: 10,
  });
  const m: any = { webhooks: [{ ...hook(), failurePolicy: 'Ignore', timeoutSeconds: 3 }] };
  defaultMutatingWebhookConfiguration(m);
  assert.equal(m.webhooks[0].reinvocationPolicy, 'Never');
  assert.equal(m.webhooks[0].failurePolicy, 'Ignore');
  assert.equal(m.webhooks[0].timeoutSeconds, 3);
});
