// How many terminal columns text takes: East Asian wide and full-width characters take two
// (Unicode East Asian Width, from get-east-asian-width), combining marks none, colour codes none.
import { eastAsianWidth } from 'get-east-asian-width';

/** A terminal control sequence (CSI: colours, bold, cursor moves): printed, never measured. */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text.replace(ANSI, '')) {
    if (ZERO_WIDTH.test(ch)) continue;
    width += eastAsianWidth(ch.codePointAt(0)!);
  }
  return width;
}

/** Text without its control sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Text split into runs of printed text and control sequences, in order. */
export function splitAnsi(text: string): { text: string; ansi: boolean }[] {
  const out: { text: string; ansi: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(ANSI)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), ansi: false });
    out.push({ text: m[0], ansi: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), ansi: false });
  return out;
}
