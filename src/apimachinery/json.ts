/**
 * Strict JSON parsing that fails the way Go's encoding/json does, so that decode
 * errors read like upstream's ("invalid character 'x' looking for beginning of value",
 * "unexpected end of JSON input", "invalid character 'x' after top-level value").
 *
 * The syntax check walks the raw bytes with the states of Go's scanner; only a
 * document that passes is handed to JSON.parse. Trailing garbage is an error.
 */

/** A JSON syntax error with Go's wording; `offset` is the byte offset of the offending byte. */
export class JSONSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'JSONSyntaxError';
    this.offset = offset;
  }
}

const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

/** Go's quoteChar: the byte as a rune, quoted with single quotes as strconv.Quote would. */
export function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  if (c === 0x5c) return "'\\\\'";
  const esc = CONTROL_ESCAPES[c];
  if (esc !== undefined) return `'${esc}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Bytes >= 0x80 become the rune U+0080..U+00FF; Go prints the non-graphic ones escaped.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class Scanner {
  pos = 0;
  /** Set by a scan with trackKeys when some object names a key twice. */
  repeatsKey = false;
  constructor(
    private readonly b: Uint8Array,
    private readonly trackKeys = false,
  ) {}

  private err(c: number, context: string): never {
    throw new JSONSyntaxError(`invalid character ${goQuoteChar(c)} ${context}`, this.pos);
  }
  private eof(): never {
    throw new JSONSyntaxError('unexpected end of JSON input', this.b.length);
  }
  private peek(): number | undefined {
    return this.b[this.pos];
  }
  private next(): number {
    const c = this.b[this.pos];
    if (c === undefined) this.eof();
    return c;
  }
  private skipWS(): void {
    while (this.pos < this.b.length && WS.has(this.b[this.pos] as number)) this.pos++;
  }

  document(): void {
    this.value();
    this.skipWS();
    const c = this.peek();
    if (c !== undefined) this.err(c, 'after top-level value');
  }

  private value(): void {
    this.skipWS();
    const c = this.next();
    switch (c) {
      case 0x7b: // {
        this.pos++;
        return this.object();
      case 0x5b: // [
        this.pos++;
        return this.array();
      case 0x22: // "
        this.pos++;
        return this.string();
      case 0x74: // t
        return this.literal('true');
      case 0x66: // f
        return this.literal('false');
      case 0x6e: // n
        return this.literal('null');
      default:
        if (c === 0x2d || isDigit(c)) return this.number();
        this.err(c, 'looking for beginning of value');
    }
  }

  private object(): void {
    this.skipWS();
    if (this.next() === 0x7d) {
      this.pos++;
      return;
    }
    const keys = this.trackKeys && !this.repeatsKey ? new Set<string>() : undefined;
    for (;;) {
      this.skipWS();
      const c = this.next();
      if (c !== 0x22) this.err(c, 'looking for beginning of object key string');
      this.pos++;
      const start = this.pos;
      this.string();
      if (keys !== undefined && !this.repeatsKey) {
        const key = decodeJSONString(this.b, start, this.pos - 1);
        if (keys.has(key)) this.repeatsKey = true;
        else keys.add(key);
      }
      this.skipWS();
      const colon = this.next();
      if (colon !== 0x3a) this.err(colon, 'after object key');
      this.pos++;
      this.value();
      this.skipWS();
      const sep = this.next();
      if (sep === 0x2c) {
        this.pos++;
        continue;
      }
      if (sep === 0x7d) {
        this.pos++;
        return;
      }
      this.err(sep, 'after object key:value pair');
    }
  }

  private array(): void {
    this.skipWS();
    if (this.next() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skipWS();
      const sep = this.next();
      if (sep === 0x2c) {
        this.pos++;
        continue;
      }
      if (sep === 0x5d) {
        this.pos++;
        return;
      }
      this.err(sep, 'after array element');
    }
  }

  private string(): void {
    for (;;) {
      const c = this.next();
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c === 0x5c) {
        this.pos++;
        const e = this.next();
        if (e === 0x75) {
          this.pos++;
          for (let i = 0; i < 4; i++) {
            const h = this.next();
            if (!isHex(h)) this.err(h, 'in \\u hexadecimal character escape');
            this.pos++;
          }
          continue;
        }
        if (![0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(e)) this.err(e, 'in string escape code');
        this.pos++;
        continue;
      }
      if (c < 0x20) this.err(c, 'in string literal');
      this.pos++;
    }
  }

  private literal(word: string): void {
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      const c = this.next();
      const want = word[i] as string;
      if (c !== want.charCodeAt(0)) this.err(c, `in literal ${word} (expecting '${want}')`);
      this.pos++;
    }
  }

  private number(): void {
    if (this.peek() === 0x2d) {
      this.pos++;
      const c = this.next();
      if (!isDigit(c)) this.err(c, 'in numeric literal');
    }
    if (this.peek() === 0x30) {
      this.pos++;
    } else {
      while (this.peek() !== undefined && isDigit(this.peek() as number)) this.pos++;
    }
    if (this.peek() === 0x2e) {
      this.pos++;
      const c = this.next();
      if (!isDigit(c)) this.err(c, 'after decimal point in numeric literal');
      while (this.peek() !== undefined && isDigit(this.peek() as number)) this.pos++;
    }
    const e = this.peek();
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      let c = this.next();
      if (c === 0x2b || c === 0x2d) {
        this.pos++;
        c = this.next();
      }
      if (!isDigit(c)) this.err(c, 'in exponent of numeric literal');
      while (this.peek() !== undefined && isDigit(this.peek() as number)) this.pos++;
    }
  }
}

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
}

/** Returns the Go-worded syntax error of a JSON document, or undefined when it is well formed. */
export function jsonSyntaxError(input: Uint8Array | string): JSONSyntaxError | undefined {
  try {
    new Scanner(toBytes(input)).document();
    return undefined;
  } catch (e) {
    if (e instanceof JSONSyntaxError) return e;
    throw e;
  }
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of the string literal whose contents are b[start, end) (quotes excluded). */
function decodeJSONString(b: Uint8Array, start: number, end: number): string {
  const raw = b.subarray(start, end);
  if (!raw.includes(0x5c)) return decoder.decode(raw);
  return JSON.parse(`"${decoder.decode(raw)}"`) as string;
}

/** Parses one JSON document strictly; throws JSONSyntaxError with Go's wording. */
export function parseJSON(input: Uint8Array | string): unknown {
  const bytes = toBytes(input);
  new Scanner(bytes).document();
  return JSON.parse(typeof input === 'string' ? input : decoder.decode(bytes)) as unknown;
}

/** Go's name for a JSON value's kind in "cannot unmarshal X into ..." messages. */
export function goJSONKind(v: unknown): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** An object's members in document order, a repeated key listed each time it appears. */
export type JSONEntries = ReadonlyArray<readonly [string, unknown]>;

/** A document some of whose objects name a key more than once. */
export interface RepeatedKeysDocument {
  /** The value JSON.parse (and Go's map decoding) gives: the last of a repeated key wins. */
  value: unknown;
  /** The objects of `value` that repeat a key, with all their members in document order. */
  repeated: ReadonlyMap<object, JSONEntries>;
}

/**
 * Parses a document keeping what a repeated key hides, so a strict decoder can report
 * it and decode it as Go does. Undefined when no object repeats a key (the common case,
 * answered by a scan). Throws JSONSyntaxError on a malformed document.
 */
export function parseJSONRepeats(input: Uint8Array | string): RepeatedKeysDocument | undefined {
  const bytes = toBytes(input);
  const scan = new Scanner(bytes, true);
  scan.document();
  if (!scan.repeatsKey) return undefined;
  const repeated = new Map<object, JSONEntries>();
  const value = new Builder(bytes, repeated).document();
  return { value, repeated };
}

/** Sets obj[key] as JSON.parse would, also for "__proto__". */
function setMember(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** Builds values from a document the Scanner has accepted, recording repeated keys. */
class Builder {
  private pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly repeated: Map<object, JSONEntries>,
  ) {}

  document(): unknown {
    return this.value();
  }

  private skipWS(): void {
    while (this.pos < this.b.length && WS.has(this.b[this.pos] as number)) this.pos++;
  }

  private value(): unknown {
    this.skipWS();
    const c = this.b[this.pos];
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    const start = this.pos;
    while (this.pos < this.b.length && !WS.has(this.b[this.pos] as number) && ![0x2c, 0x5d, 0x7d].includes(this.b[this.pos] as number)) this.pos++;
    return JSON.parse(decoder.decode(this.b.subarray(start, this.pos))) as unknown;
  }

  private string(): string {
    const start = ++this.pos;
    while (this.b[this.pos] !== 0x22) this.pos += this.b[this.pos] === 0x5c ? 2 : 1;
    this.pos++;
    return decodeJSONString(this.b, start, this.pos - 1);
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const obj: Record<string, unknown> = {};
    const entries: [string, unknown][] = [];
    let repeats = false;
    this.skipWS();
    if (this.b[this.pos] === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipWS();
      const key = this.string();
      this.skipWS();
      this.pos++; // :
      const v = this.value();
      if (Object.prototype.hasOwnProperty.call(obj, key)) repeats = true;
      setMember(obj, key, v);
      entries.push([key, v]);
      this.skipWS();
      if (this.b[this.pos++] === 0x7d) break;
    }
    if (repeats) this.repeated.set(obj, entries);
    return obj;
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWS();
    if (this.b[this.pos] === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWS();
      if (this.b[this.pos++] === 0x5d) return out;
    }
  }
}

/**
 * Go's strconv.Quote (and %q) of a string: printable text as is, the ASCII controls
 * and DEL escaped as Go escapes them. (Non-ASCII non-printable runes, which Go would
 * escape too, are left as they are.)
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c === 0x7f) out += goQuoteChar(c).slice(1, -1);
    else out += ch;
  }
  return `${out}"`;
}

/** A JSON value without its null-valued object properties (what a Go struct round trip leaves). */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}
