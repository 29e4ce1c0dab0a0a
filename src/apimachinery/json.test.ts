import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJSONKind, goQuote, goQuoteChar, jsonSyntaxError, parseJSON, parseJSONRepeats } from './json.js';

test('jsonSyntaxError reads like Go encoding/json', () => {
  const cases: { name: string; in: string | Uint8Array; want: string | undefined }[] = [
    { name: 'valid object', in: '{"a":[1,2.5e3,-0,true,false,null,"x\\u00e9"]}', want: undefined },
    { name: 'valid with surrounding space', in: ' \n{}\t ', want: undefined },
    { name: 'valid scalar', in: '12', want: undefined },
    { name: 'empty', in: '', want: 'unexpected end of JSON input' },
    { name: 'spaces only', in: '   ', want: 'unexpected end of JSON input' },
    { name: 'truncated object', in: '{"a":1', want: 'unexpected end of JSON input' },
    { name: 'truncated string', in: '"abc', want: 'unexpected end of JSON input' },
    { name: 'bare word', in: 'hello', want: "invalid character 'h' looking for beginning of value" },
    { name: 'trailing garbage', in: '{} x', want: "invalid character 'x' after top-level value" },
    { name: 'two documents', in: '{}{}', want: "invalid character '{' after top-level value" },
    { name: 'missing value', in: '{"a":}', want: "invalid character '}' looking for beginning of value" },
    { name: 'unquoted key', in: '{a:1}', want: "invalid character 'a' looking for beginning of object key string" },
    { name: 'trailing comma in object', in: '{"a":1,}', want: "invalid character '}' looking for beginning of object key string" },
    { name: 'missing colon', in: '{"a" 1}', want: "invalid character '1' after object key" },
    { name: 'missing comma', in: '{"a":1 "b":2}', want: "invalid character '\"' after object key:value pair" },
    { name: 'trailing comma in array', in: '[1,]', want: "invalid character ']' looking for beginning of value" },
    { name: 'array missing comma', in: '[1 2]', want: "invalid character '2' after array element" },
    { name: 'leading zero', in: '01', want: "invalid character '1' after top-level value" },
    { name: 'minus alone', in: '-x', want: "invalid character 'x' in numeric literal" },
    { name: 'dot without digit', in: '1.x', want: "invalid character 'x' after decimal point in numeric literal" },
    { name: 'exponent without digit', in: '1ex', want: "invalid character 'x' in exponent of numeric literal" },
    { name: 'bad literal', in: 'trux', want: "invalid character 'x' in literal true (expecting 'e')" },
    { name: 'bad null', in: 'nil', want: "invalid character 'i' in literal null (expecting 'u')" },
    { name: 'bad escape', in: '"\\x"', want: "invalid character 'x' in string escape code" },
    { name: 'bad unicode escape', in: '"\\u12g4"', want: "invalid character 'g' in \\u hexadecimal character escape" },
    { name: 'raw newline in string', in: '"a\nb"', want: "invalid character '\\n' in string literal" },
    { name: 'single quote', in: "{'a':1}", want: "invalid character '\\'' looking for beginning of object key string" },
    { name: 'BOM', in: Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), want: "invalid character 'ï' looking for beginning of value" },
  ];
  for (const c of cases) assert.equal(jsonSyntaxError(c.in)?.message, c.want, c.name);
});

test('goQuoteChar', () => {
  const cases: { name: string; in: number; want: string }[] = [
    { name: 'letter', in: 0x61, want: "'a'" },
    { name: 'quote', in: 0x22, want: `'"'` },
    { name: 'apostrophe', in: 0x27, want: "'\\''" },
    { name: 'backslash', in: 0x5c, want: "'\\\\'" },
    { name: 'tab', in: 0x09, want: "'\\t'" },
    { name: 'nul', in: 0x00, want: "'\\x00'" },
    { name: 'del', in: 0x7f, want: "'\\x7f'" },
    { name: 'c1 control', in: 0x85, want: "'\\u0085'" },
    { name: 'latin1', in: 0xe9, want: "'é'" },
  ];
  for (const c of cases) assert.equal(goQuoteChar(c.in), c.want, c.name);
});

test('parseJSON returns values and throws on errors', () => {
  assert.deepEqual(parseJSON('{"a":[1,"b",null]}'), { a: [1, 'b', null] });
  assert.deepEqual(parseJSON(Buffer.from('{"é":"ü"}')), { é: 'ü' });
  assert.throws(() => parseJSON('{"a":1} junk'), { name: 'JSONSyntaxError', message: "invalid character 'j' after top-level value" });
  const kinds: { name: string; in: unknown; want: string }[] = [
    { name: 'object', in: {}, want: 'object' },
    { name: 'array', in: [], want: 'array' },
    { name: 'string', in: 's', want: 'string' },
    { name: 'number', in: 1, want: 'number' },
    { name: 'bool', in: false, want: 'bool' },
    { name: 'null', in: null, want: 'null' },
  ];
  for (const c of kinds) assert.equal(goJSONKind(c.in), c.want, c.name);
});

test('parseJSONRepeats: undefined when no object repeats a key', () => {
  const cases: { name: string; in: string }[] = [
    { name: 'flat object', in: '{"a":1,"b":2}' },
    { name: 'same key in sibling objects', in: '{"a":{"x":1},"b":{"x":2}}' },
    { name: 'same key at two depths', in: '{"x":{"x":1}}' },
    { name: 'same key in array items', in: '[{"x":1},{"x":2}]' },
    { name: 'scalar', in: '7' },
    { name: 'keys differing in case', in: '{"a":1,"A":2}' },
  ];
  for (const c of cases) assert.equal(parseJSONRepeats(c.in), undefined, c.name);
});

test('parseJSONRepeats: the value is JSON.parse\'s (last wins), repeated objects list every member in order', () => {
  const cases: { name: string; in: string; value: unknown; repeated: [string, unknown][][] }[] = [
    { name: 'top level', in: '{"a":1,"b":2,"a":3}', value: { a: 3, b: 2 }, repeated: [[['a', 1], ['b', 2], ['a', 3]]] },
    { name: 'nested object', in: '{"s":{"r":1,"r":2}}', value: { s: { r: 2 } }, repeated: [[['r', 1], ['r', 2]]] },
    { name: 'object in an array', in: '[{"n":"a"},{"n":"b","n":"c"}]', value: [{ n: 'a' }, { n: 'c' }], repeated: [[['n', 'b'], ['n', 'c']]] },
    { name: 'escaped spelling of the same key', in: '{"a":1,"\\u0061":2}', value: { a: 2 }, repeated: [[['a', 1], ['a', 2]]] },
    { name: 'repeated object values', in: '{"m":{"x":1},"m":{"y":2}}', value: { m: { y: 2 } }, repeated: [[['m', { x: 1 }], ['m', { y: 2 }]]] },
    { name: 'all value kinds', in: ' { "v" : [1, -2.5e1, true, false, null, "s\\n"] , "v":"é" } ', value: { v: 'é' }, repeated: [[['v', [1, -25, true, false, null, 's\n']], ['v', 'é']]] },
  ];
  for (const c of cases) {
    const doc = parseJSONRepeats(Buffer.from(c.in));
    assert.ok(doc !== undefined, c.name);
    assert.deepEqual(doc.value, JSON.parse(c.in), `${c.name}: as JSON.parse`);
    assert.deepEqual(doc.value, c.value, c.name);
    assert.deepEqual([...doc.repeated.values()], c.repeated, c.name);
    for (const obj of doc.repeated.keys()) assert.ok(JSON.stringify(doc.value).includes(JSON.stringify(obj)), `${c.name}: keyed by the objects of the value`);
  }
});

test('parseJSONRepeats keeps __proto__ as a plain member and throws Go-worded syntax errors', () => {
  const doc = parseJSONRepeats('{"__proto__":{"x":1},"__proto__":{"y":2}}');
  assert.ok(doc !== undefined);
  const v = doc.value as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.throws(() => parseJSONRepeats('{"a":1,"a":'), { name: 'JSONSyntaxError', message: 'unexpected end of JSON input' });
});

test('goQuote is strconv.Quote for the text kubelite prints', () => {
  const cases: { in: string; want: string }[] = [
    { in: 'spec.replicas', want: '"spec.replicas"' },
    { in: 'a"b', want: '"a\\"b"' },
    { in: 'back\\slash', want: '"back\\\\slash"' },
    { in: 'tab\tnl\n', want: '"tab\\tnl\\n"' },
    { in: '\u0001', want: '"\\x01"' },
    { in: 'é☃', want: '"é☃"' },
  ];
  for (const c of cases) assert.equal(goQuote(c.in), c.want, c.in);
});
