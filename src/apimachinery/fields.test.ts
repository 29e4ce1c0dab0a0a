import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import {
  escapeFieldValue,
  fieldRequiresExactMatch,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
  type FieldRequirement,
} from './fields.js';

test('parseFieldSelector: valid selectors', () => {
  const cases: { name: string; in: string; want: FieldRequirement[] }[] = [
    { name: 'empty', in: '', want: [] },
    { name: 'empty terms skipped', in: ',,', want: [] },
    { name: 'equals', in: 'metadata.name=foo', want: [{ field: 'metadata.name', op: '=', value: 'foo' }] },
    { name: 'double equals', in: 'metadata.name==foo', want: [{ field: 'metadata.name', op: '=', value: 'foo' }] },
    { name: 'not equals', in: 'status.phase!=Running', want: [{ field: 'status.phase', op: '!=', value: 'Running' }] },
    { name: 'empty value', in: 'spec.nodeName=', want: [{ field: 'spec.nodeName', op: '=', value: '' }] },
    {
      name: 'terms sorted',
      in: 'b=1,a=2',
      want: [
        { field: 'a', op: '=', value: '2' },
        { field: 'b', op: '=', value: '1' },
      ],
    },
    { name: 'escaped comma', in: 'a=x\\,y', want: [{ field: 'a', op: '=', value: 'x,y' }] },
    { name: 'escaped equals', in: 'a=x\\=y', want: [{ field: 'a', op: '=', value: 'x=y' }] },
    { name: 'escaped backslash', in: 'a=x\\\\y', want: [{ field: 'a', op: '=', value: 'x\\y' }] },
    { name: 'first operator splits', in: 'a!=\\=', want: [{ field: 'a', op: '!=', value: '=' }] },
    { name: 'spaces are data', in: 'a = b', want: [{ field: 'a ', op: '=', value: ' b' }] },
  ];
  for (const c of cases) assert.deepEqual(parseFieldSelector(c.in), c.want, c.name);
});

test('parseFieldSelector: errors are 400 with upstream wording', () => {
  const cases: { name: string; in: string; want: string }[] = [
    { name: 'no operator', in: 'foo', want: "invalid selector: 'foo'; can't understand 'foo'" },
    { name: 'names whole selector', in: 'a=b,foo', want: "invalid selector: 'a=b,foo'; can't understand 'foo'" },
    { name: 'unescaped equals', in: 'a=b=c', want: 'invalid field selector: unescaped character in value: 61' },
    { name: 'bad escape', in: 'a=\\x', want: 'invalid field selector: invalid escape sequence: \\x' },
    { name: 'trailing backslash', in: 'a=b\\', want: 'invalid field selector: invalid escape sequence: \\' },
  ];
  for (const c of cases) {
    try {
      parseFieldSelector(c.in);
      assert.fail(`${c.name}: expected an error`);
    } catch (e) {
      assert.ok(isStatusError(e), c.name);
      assert.equal(e.code, 400, c.name);
      assert.equal(e.reason, 'BadRequest', c.name);
      assert.equal(e.message, c.want, c.name);
    }
  }
});

test('matchesFields', () => {
  const obj: Record<string, string> = { 'metadata.name': 'web', 'status.phase': 'Running' };
  const get = (f: string): string | undefined => obj[f];
  const cases: { name: string; sel: string; want: boolean }[] = [
    { name: 'empty', sel: '', want: true },
    { name: 'equals', sel: 'metadata.name=web', want: true },
    { name: 'equals miss', sel: 'metadata.name=db', want: false },
    { name: 'not equals', sel: 'status.phase!=Pending', want: true },
    { name: 'not equals same', sel: 'status.phase!=Running', want: false },
    { name: 'missing field is empty', sel: 'spec.nodeName=', want: true },
    { name: 'missing field != x', sel: 'spec.nodeName!=x', want: true },
    { name: 'AND', sel: 'metadata.name=web,status.phase=Running', want: true },
    { name: 'AND fails', sel: 'metadata.name=web,status.phase=Failed', want: false },
  ];
  for (const c of cases) assert.equal(matchesFields(parseFieldSelector(c.sel), get), c.want, c.name);
});

test('escape round trip, string form and exact match', () => {
  const cases: { name: string; value: string; want: string }[] = [
    { name: 'plain', value: 'abc', want: 'abc' },
    { name: 'specials', value: 'a,b=c\\d', want: 'a\\,b\\=c\\\\d' },
  ];
  for (const c of cases) {
    assert.equal(escapeFieldValue(c.value), c.want, c.name);
    assert.deepEqual(parseFieldSelector(`f=${escapeFieldValue(c.value)}`), [{ field: 'f', op: '=', value: c.value }], c.name);
  }
  const reqs = parseFieldSelector('spec.nodeName=n1,status.phase!=x\\,y');
  assert.equal(fieldSelectorToString(reqs), 'spec.nodeName=n1,status.phase!=x\\,y');
  assert.equal(fieldRequiresExactMatch(reqs, 'spec.nodeName'), 'n1');
  assert.equal(fieldRequiresExactMatch(reqs, 'status.phase'), undefined);
});
