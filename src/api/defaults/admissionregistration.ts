/** admissionregistration.k8s.io/v1 webhook configuration defaults (upstream pkg/apis/admissionregistration/v1/defaults.go). */
import { isObj, objs, setDefault, type Obj } from './util.js';

function defaultWebhook(hook: Obj, mutating: boolean): void {
  setDefault(hook, 'failurePolicy', 'Fail');
  setDefault(hook, 'matchPolicy', 'Equivalent');
  setDefault(hook, 'namespaceSelector', {});
  setDefault(hook, 'objectSelector', {});
  setDefault(hook, 'timeoutSeconds', 10);
  if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
  for (const r of objs(hook.rules)) setDefault(r, 'scope', '*');
  if (isObj(hook.clientConfig) && isObj(hook.clientConfig.service)) setDefault(hook.clientConfig.service, 'port', 443);
}

export function defaultValidatingWebhookConfiguration(cfg: Obj): void {
  for (const h of objs(cfg.webhooks)) defaultWebhook(h, false);
}

export function defaultMutatingWebhookConfiguration(cfg: Obj): void {
  for (const h of objs(cfg.webhooks)) defaultWebhook(h, true);
}
