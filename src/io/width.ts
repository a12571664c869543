// How many terminal columns text takes: East Asian wide and full-width characters take two
// (Unicode East Asian Width, from get-east-asian-width), combining marks none, colour codes none.
import { eastAsianWidth } from 'get-east-asian-width';
import { CONTROL, controlName } from '../core/controls.js';

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

const CONTROL_OR_COLOUR = /\x1b\[[0-9;]*m|\p{Cc}/gu;

export interface Keep {
  /** Line breaks stay line breaks (else \n). */
  newline?: boolean;
  /** A tab stays (`keep`), becomes a space (`space`: a table measures no tabs), or is written \t (default). */
  tab?: 'keep' | 'space' | 'escape';
  /** Colour and bold codes (SGR: ESC [ … m), crm's own, stay; any other sequence is written out. */
  colour?: boolean;
}

/**
 * Text safe to print to a terminal: every control character (Unicode Cc: ESC, NUL, BEL, CR, DEL,
 * C1) written as its name (`Eve\e]0;PWNED\a`), so no value a customer record holds can retitle,
 * clear or move the cursor of the terminal it is shown on.
 */
export function escapeControls(text: string, keep: Keep = {}): string {
  if (!CONTROL.test(text)) return text;
  // A line break written CRLF (as Windows writes them) is a line break.
  return (keep.newline ? text.replace(/\r\n/g, '\n') : text).replace(CONTROL_OR_COLOUR, (m) => {
    if (m.length > 1) return keep.colour ? m : controlName('\x1b') + m.slice(1);
    if (m === '\n' && keep.newline) return m;
    if (m === '\t' && keep.tab === 'keep') return m;
    if (m === '\t' && keep.tab === 'space') return ' ';
    return controlName(m);
  });
}
