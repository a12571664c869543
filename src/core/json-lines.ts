// JSON read with the line each value starts on, so that a file a person typed up (a holiday notice)
// can be refused with the line to look at: JSON.parse gives neither the line of a syntax error in
// every Node version nor any position for a value that parses but is wrong. Strict JSON (RFC 8259):
// no comments, no trailing commas; a repeated key keeps its last value, as JSON.parse does.

export type JsonNode =
  | { kind: 'object'; line: number; entries: Map<string, JsonNode> }
  | { kind: 'array'; line: number; items: JsonNode[] }
  | { kind: 'string'; line: number; value: string }
  | { kind: 'number'; line: number; value: number }
  | { kind: 'boolean'; line: number; value: boolean }
  | { kind: 'null'; line: number };

/** Where the text stops being JSON: the line, and the character found there (null at the end of the text). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly found: string | null,
  ) {
    super(`line ${line}: unexpected ${found === null ? 'end of text' : JSON.stringify(found)}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERALS = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
] as const;

/** The JSON value in `text` (a leading byte-order mark is skipped), or throws JsonSyntaxError. */
export function parseJsonWithLines(text: string): JsonNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const fail = (): never => {
    throw new JsonSyntaxError(line, i < text.length ? String.fromCodePoint(text.codePointAt(i)!) : null);
  };
  const space = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  };
  const expect = (c: string) => {
    space();
    if (text[i] !== c) fail();
    i++;
  };
  /** Steps over `c` if it comes next (after white space). */
  const closes = (c: string): boolean => {
    space();
    if (text[i] !== c) return false;
    i++;
    return true;
  };
  const token = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const string = (): string => {
    const raw = token(STRING);
    if (raw === null) return fail();
    return JSON.parse(raw) as string;
  };
  const value = (): JsonNode => {
    space();
    const at = line;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = new Map<string, JsonNode>();
      if (!closes('}')) {
        for (;;) {
          space();
          const key = string();
          expect(':');
          entries.set(key, value());
          if (closes('}')) break;
          expect(',');
        }
      }
      return { kind: 'object', line: at, entries };
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      if (!closes(']')) {
        for (;;) {
          items.push(value());
          if (closes(']')) break;
          expect(',');
        }
      }
      return { kind: 'array', line: at, items };
    }
    if (c === '"') return { kind: 'string', line: at, value: string() };
    const number = token(NUMBER);
    if (number !== null) return { kind: 'number', line: at, value: Number(number) };
    for (const [word, node] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { ...node, line: at };
      }
    }
    return fail();
  };
  const root = value();
  space();
  if (i < text.length) fail();
  return root;
}
