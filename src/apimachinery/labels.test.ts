import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import {
  everything,
  isEverything,
  matches,
  newRequirement,
  nothing,
  parseSelector,
  requiresExactMatch,
  selectorFromLabelSelector,
  selectorFromSet,
  selectorToString,
  tryParseSelector,
} from './labels.js';

function errorOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, reason: e.reason, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

const KEY_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('parseSelector: valid selectors print canonically (sorted by key, set values sorted)', () => {
  const cases: { name: string; in: string; want: string }[] = [
    { name: 'empty', in: '', want: '' },
    { name: 'whitespace only', in: ' \t\n', want: '' },
    { name: 'equals', in: 'a=b', want: 'a=b' },
    { name: 'double equals', in: 'a==b', want: 'a==b' },
    { name: 'not equals', in: 'a!=b', want: 'a!=b' },
    { name: 'empty value', in: 'a=', want: 'a=' },
    { name: 'whitespace around tokens', in: '  a  =  b  ', want: 'a=b' },
    { name: 'exists', in: 'a', want: 'a' },
    { name: 'does not exist', in: '!a', want: '!a' },
    { name: 'does not exist with space', in: '! a', want: '!a' },
    { name: 'upstream doc example', in: 'x in (foo,,baz),y,z notin ()', want: 'x in (,baz,foo),y,z notin ()' },
    { name: 'in dedups and sorts', in: 'x in (b,a,b)', want: 'x in (a,b)' },
    { name: 'in with spaces', in: 'x in ( a , b )', want: 'x in (a,b)' },
    { name: 'notin', in: 'x notin (a)', want: 'x notin (a)' },
    { name: 'empty set', in: 'k in ()', want: 'k in ()' },
    { name: 'only commas', in: 'k in (,)', want: 'k in ()' },
    { name: 'keywords as key and value', in: 'in in (in,notin)', want: 'in in (in,notin)' },
    { name: 'sorted by key', in: 'b=1,a=2', want: 'a=2,b=1' },
    { name: 'prefixed key', in: 'example.com/app=web', want: 'example.com/app=web' },
    { name: 'greater than', in: 'x>1', want: 'x>1' },
    { name: 'less than', in: 'x < 5', want: 'x<5' },
    { name: 'newline separates', in: 'a=b,\nc', want: 'a=b,c' },
  ];
  for (const c of cases) {
    assert.equal(selectorToString(parseSelector(c.in)), c.want, c.name);
  }
});

test('parseSelector: errors are 400 with upstream wording', () => {
  const cases: { name: string; in: string; want: string }[] = [
    { name: 'two identifiers', in: 'a b', want: 'unable to parse requirement: found \'b\', expected: in, notin, =, ==, !=, gt, lt' },
    { name: 'trailing comma', in: 'a=b,', want: "found '', expected: identifier after ','" },
    { name: 'leading comma', in: ',a', want: "found ',', expected: !, identifier, or 'end of string'" },
    { name: 'value after value', in: 'a=b c', want: "found 'c', expected: ',' or 'end of string'" },
    { name: 'not with operator', in: '!a=b', want: "found '=', expected: ',' or 'end of string'" },
    { name: 'bang alone', in: '!', want: "unable to parse requirement: found '', expected: identifier" },
    { name: 'unclosed set', in: 'x in (a', want: "unable to parse requirement: found '', expected: ',' or ')'" },
    { name: 'missing paren', in: 'x in a', want: "unable to parse requirement: found 'a' expected: '('" },
    { name: 'space inside set', in: 'x in (a b)', want: "unable to parse requirement: found 'b', expected: ',' or ')'" },
    { name: 'paren as value', in: 'a=(b)', want: "unable to parse requirement: found '(', expected: identifier" },
    { name: 'bad key', in: 'a@b', want: `unable to parse requirement: <nil>: Invalid value: "a@b": ${KEY_NAME_MSG}` },
    {
      name: 'key with two slashes',
      in: 'a/b/c',
      want:
        "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    },
    { name: 'bad value', in: 'x=a@', want: `unable to parse requirement: values[0][x]: Invalid value: "a@": ${VALUE_MSG}` },
    {
      name: 'gt needs an integer',
      in: 'x>a',
      want: 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer',
    },
    { name: 'a=b=c', in: 'a=b=c', want: "found '=', expected: ',' or 'end of string'" },
    {
      name: 'gt values are label values too',
      in: 'x<-5',
      want: `unable to parse requirement: values[0][x]: Invalid value: "-5": ${VALUE_MSG}`,
    },
  ];
  for (const c of cases) {
    const got = errorOf(() => parseSelector(c.in));
    assert.deepEqual(got, { code: 400, reason: 'BadRequest', message: c.want }, c.name);
  }
});

test('tryParseSelector returns the error instead of throwing', () => {
  const r = tryParseSelector('a b');
  assert.ok(isStatusError(r));
  assert.equal(selectorToString(tryParseSelector('a=b') as ReturnType<typeof parseSelector>), 'a=b');
});

test('matches', () => {
  const labels = { app: 'web', tier: 'front', n: '10', empty: '' };
  const cases: { name: string; sel: string; labels?: Record<string, string>; want: boolean }[] = [
    { name: 'everything', sel: '', want: true },
    { name: 'equals hit', sel: 'app=web', want: true },
    { name: 'equals miss', sel: 'app=db', want: false },
    { name: 'equals absent', sel: 'zone=a', want: false },
    { name: 'not equals absent key matches', sel: 'zone!=a', want: true },
    { name: 'not equals same', sel: 'app!=web', want: false },
    { name: 'in', sel: 'tier in (back,front)', want: true },
    { name: 'in miss', sel: 'tier in (back)', want: false },
    { name: 'notin absent', sel: 'zone notin (a)', want: true },
    { name: 'notin present', sel: 'tier notin (front)', want: false },
    { name: 'exists', sel: 'app', want: true },
    { name: 'exists absent', sel: 'zone', want: false },
    { name: 'does not exist', sel: '!zone', want: true },
    { name: 'does not exist present', sel: '!app', want: false },
    { name: 'empty value equals', sel: 'empty=', want: true },
    { name: 'gt', sel: 'n>9', want: true },
    { name: 'gt equal', sel: 'n>10', want: false },
    { name: 'lt', sel: 'n<11', want: true },
    { name: 'gt non-numeric label', sel: 'app>1', want: false },
    { name: 'AND all', sel: 'app=web,tier=front,!zone', want: true },
    { name: 'AND one fails', sel: 'app=web,tier=back', want: false },
    { name: 'no labels', sel: 'app', labels: {}, want: false },
  ];
  for (const c of cases) {
    assert.equal(matches(parseSelector(c.sel), c.labels ?? labels), c.want, c.name);
  }
  assert.equal(matches(nothing(), labels), false, 'nothing matches nothing');
  assert.equal(matches(everything(), undefined), true, 'everything matches undefined labels');
});

test('selectorFromLabelSelector', () => {
  const cases: { name: string; in: unknown; want: string; everything?: boolean; nothing?: boolean }[] = [
    { name: 'null is nothing', in: null, want: '', nothing: true },
    { name: 'undefined is nothing', in: undefined, want: '', nothing: true },
    { name: 'empty is everything', in: {}, want: '', everything: true },
    { name: 'matchLabels', in: { matchLabels: { b: '2', a: '1' } }, want: 'a=1,b=2' },
    {
      name: 'expressions',
      in: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'back'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      want: 'app=web,env notin (prod),gpu,!legacy,tier in (back,front)',
    },
  ];
  for (const c of cases) {
    const s = selectorFromLabelSelector(c.in);
    assert.equal(selectorToString(s), c.want, c.name);
    assert.equal(s.nothing, c.nothing ?? false, `${c.name} nothing`);
    assert.equal(isEverything(s), c.everything ?? false, `${c.name} everything`);
  }
  const sel = selectorFromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
  assert.equal(matches(sel, { tier: 'b' }), true);
  assert.equal(matches(sel, { tier: 'c' }), false);
});

test('selectorFromLabelSelector errors', () => {
  const cases: { name: string; in: unknown; want: string }[] = [
    {
      name: 'unknown operator',
      in: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      want: '"Gt" is not a valid label selector operator',
    },
    {
      name: 'in without values',
      in: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      want: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: 'exists with values',
      in: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      want: 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    },
    {
      name: 'bad key and bad value aggregate',
      in: { matchLabels: { 'a@': 'b@' } },
      want: `[key: Invalid value: "a@": ${KEY_NAME_MSG}, values[0][a@]: Invalid value: "b@": ${VALUE_MSG}]`,
    },
  ];
  for (const c of cases) {
    assert.deepEqual(errorOf(() => selectorFromLabelSelector(c.in)), { code: 400, reason: 'BadRequest', message: c.want }, c.name);
  }
});

test('newRequirement validates like upstream NewRequirement', () => {
  assert.deepEqual(newRequirement('a', 'in', ['x']), { key: 'a', operator: 'in', values: ['x'] });
  assert.equal(
    errorOf(() => newRequirement('a', '=', ['x', 'y'])).message,
    'values: Invalid value: ["x","y"]: exact-match compatibility requires one single value',
  );
});

test('selectorFromSet and requiresExactMatch', () => {
  const s = selectorFromSet({ z: '1', a: '2' });
  assert.equal(selectorToString(s), 'a=2,z=1');
  assert.equal(requiresExactMatch(s, 'z'), '1');
  assert.equal(requiresExactMatch(parseSelector('a in (x)'), 'a'), 'x');
  assert.equal(requiresExactMatch(parseSelector('a in (x,y)'), 'a'), undefined);
  assert.equal(requiresExactMatch(parseSelector('a!=x'), 'a'), undefined);
  assert.equal(isEverything(selectorFromSet({})), true);
});
