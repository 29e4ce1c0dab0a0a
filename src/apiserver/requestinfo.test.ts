import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo, isTrue } from './requestinfo.js';

test('boolean query parameters read as upstream’s parameter codec', () => {
  const cases: [string | null, boolean][] = [
    [null, false],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['0', false],
    ['true', true],
    ['True', true],
    ['1', true],
    ['', true],
    ['yes', true],
  ];
  for (const [v, want] of cases) assert.equal(isTrue(v), want, `isTrue(${JSON.stringify(v)})`);
});

test('a GET of a collection is a watch exactly when the watch parameter is true', () => {
  const cases: [string, string][] = [
    ['', 'list'],
    ['watch=true', 'watch'],
    ['watch=True', 'watch'],
    ['watch=1', 'watch'],
    ['watch=false', 'list'],
    ['watch=0', 'list'],
  ];
  for (const [query, verb] of cases) {
    const info = parseRequestInfo('GET', '/api/v1/namespaces/default/configmaps', new URLSearchParams(query));
    assert.equal(info.verb, verb, query);
  }
});
