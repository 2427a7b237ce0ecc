/**
 * A strict JSON reader (RFC 8259) that keeps where each value starts, so a
 * problem found later in a vendor-set file can name its line. It only
 * checks syntax and records positions; the values themselves come from
 * `JSON.parse` (which also keeps a `"__proto__"` key an ordinary key).
 * No comments, no trailing commas, no duplicate keys — a file that differs
 * from what `JSON.parse` would read is refused rather than guessed at.
 */
import { err, ok, type Result } from '../scsi/result';

/** Where a value of the document starts, and its members. */
export interface JsonNode {
  /** Offset of the value's first character. */
  readonly offset: number;
  /** Offset of the key's opening quote when the value is an object member. */
  readonly keyOffset?: number;
  readonly props?: ReadonlyMap<string, JsonNode>;
  readonly items?: readonly JsonNode[];
}

export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

/** Deeper nesting is refused: no vendor set needs it, and recursion must not exhaust the stack. */
export const MAX_JSON_DEPTH = 256;

class Fail {
  constructor(readonly error: JsonSyntaxError) {}
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Reader {
  at = 0;
  constructor(private readonly text: string) {}

  fail(message: string, offset = this.at): never {
    throw new Fail({ offset, message });
  }

  skipWs(): void {
    while (this.at < this.text.length && isWs(this.text.charCodeAt(this.at))) this.at++;
    if (this.text[this.at] === '/') this.fail('comments are not allowed in JSON');
  }

  peek(): string | undefined {
    return this.text[this.at];
  }

  value(depth: number, keyOffset?: number): JsonNode {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.skipWs();
    const offset = this.at;
    const base = keyOffset === undefined ? { offset } : { offset, keyOffset };
    const c = this.peek();
    if (c === '{') return { ...base, props: this.object(depth) };
    if (c === '[') return { ...base, items: this.array(depth) };
    if (c === '"') {
      this.string();
      return base;
    }
    for (const word of ['true', 'false', 'null'])
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return base;
      }
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      this.at += m[0].length;
      return base;
    }
    if (c === undefined) this.fail('the text ends where a value is expected');
    this.fail(
      `a value is expected here (a string in double quotes, a number, true, false, null, an object or an array), not ${JSON.stringify(c)}`,
    );
  }

  /** Reads a string and returns its decoded text. */
  string(): string {
    const start = this.at;
    this.at++;
    for (;;) {
      const code = this.text.charCodeAt(this.at);
      if (Number.isNaN(code)) this.fail('a string is not closed', start);
      if (code === 0x22) break;
      if (code < 0x20)
        this.fail('a control character must be written as an escape (\\n, \\t, \\u0000)');
      if (code === 0x5c) {
        const e = this.text[this.at + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6)))
            this.fail('a \\u escape needs four hex digits');
          this.at += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e))
          this.fail('an escape that JSON does not have');
        this.at += 2;
        continue;
      }
      this.at++;
    }
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  private object(depth: number): Map<string, JsonNode> {
    const props = new Map<string, JsonNode>();
    this.at++;
    this.skipWs();
    if (this.peek() === '}') {
      this.at++;
      return props;
    }
    for (;;) {
      this.skipWs();
      if (this.peek() !== '"')
        this.fail(
          this.peek() === '}'
            ? 'a trailing comma is not allowed in JSON'
            : 'a property name in double quotes is expected',
        );
      const keyOffset = this.at;
      const key = this.string();
      if (props.has(key)) this.fail(`"${key}" appears twice in the same object`, keyOffset);
      this.skipWs();
      if (this.peek() !== ':') this.fail('a ":" is expected after the property name');
      this.at++;
      props.set(key, this.value(depth + 1, keyOffset));
      this.skipWs();
      const c = this.peek();
      this.at++;
      if (c === '}') return props;
      if (c !== ',') this.fail('a "," or "}" is expected', this.at - 1);
    }
  }

  private array(depth: number): JsonNode[] {
    const items: JsonNode[] = [];
    this.at++;
    this.skipWs();
    if (this.peek() === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      this.skipWs();
      if (this.peek() === ']') this.fail('a trailing comma is not allowed in JSON');
      items.push(this.value(depth + 1));
      this.skipWs();
      const c = this.peek();
      this.at++;
      if (c === ']') return items;
      if (c !== ',') this.fail('a "," or "]" is expected', this.at - 1);
    }
  }
}

/** The position tree of `text`, or where and why it is not strict JSON. */
export function readJsonPositions(text: string): Result<JsonNode, JsonSyntaxError> {
  const r = new Reader(text);
  try {
    const root = r.value(0);
    r.skipWs();
    if (r.at < text.length) r.fail('nothing may follow the top-level value');
    return ok(root);
  } catch (e) {
    if (e instanceof Fail) return err(e.error);
    throw e;
  }
}

/** The node at `path` (object keys and array indexes), if the document has one there. */
export function nodeAt(root: JsonNode, path: readonly (string | number)[]): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    node = typeof step === 'number' ? node.items?.[step] : node.props?.get(step);
  }
  return node;
}

/** 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
