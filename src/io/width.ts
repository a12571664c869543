// How many terminal columns text takes: East Asian wide and full-width characters take two
// (Unicode East Asian Width, from get-east-asian-width), combining marks none, colour codes none.
// And what reaches a terminal: crm's own colour codes, and every other control character written out.
import { randomBytes } from 'node:crypto';
import { eastAsianWidth } from 'get-east-asian-width';
import { CONTROL, CONTROLS, controlName } from '../core/controls.js';

/**
 * crm's own colour codes, while the text they colour is put together, begin with this mark instead
 * of ESC [: a private-use character and a number drawn anew each run, which no stored value can
 * hold. The final writer (terminalText) writes every control character a value brought as its
 * name, then makes the marks ESC [ again; so a colour code inside a customer's name is shown as
 * \e[31m, and only crm's own colour the terminal.
 */
const OWN = `\u{F8FF}${randomBytes(6).toString('hex')}[`;

/** A colour or bold of crm's own (SGR `open` … `close`), for terminalText to keep. */
export function ownStyle(open: number, close: number): (text: string) => string {
  return (text) => `${OWN}${open}m${text}${OWN}${close}m`;
}

/** A terminal control sequence (CSI: colours, bold, cursor moves, crm's own marked ones too): printed, never measured. */
const ANSI = new RegExp(`(?:\\x1b\\[|${OWN.slice(0, -1)}\\[)[0-?]*[ -/]*[@-~]`, 'gu');
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

export interface Keep {
  /** Line breaks stay line breaks (else \n). */
  newline?: boolean;
  /** A tab stays (`keep`), becomes a space (`space`: a table measures no tabs), or is written \t (default). */
  tab?: 'keep' | 'space' | 'escape';
}

/**
 * Text safe to print to a terminal: every control character (Unicode Cc: ESC, NUL, BEL, CR, DEL,
 * C1) written as its name (`Eve\e]0;PWNED\a`), so no value a customer record holds can retitle,
 * clear or move the cursor of the terminal it is shown on.
 */
export function escapeControls(text: string, keep: Keep = {}): string {
  if (!CONTROL.test(text)) return text;
  // A line break written CRLF (as Windows writes them) is a line break.
  return (keep.newline ? text.replace(/\r\n/g, '\n') : text).replace(CONTROLS, (m) => {
    if (m === '\n' && keep.newline) return m;
    if (m === '\t' && keep.tab === 'keep') return m;
    if (m === '\t' && keep.tab === 'space') return ' ';
    return controlName(m);
  });
}

/**
 * Text as the final writer sends it (Context.out and err): at a terminal, every control character
 * but line breaks and tabs written out (a colour code a value holds too), then crm's own colour
 * codes (ownStyle) made real; off a terminal, the text as it is, crm's colour codes made real.
 */
export function terminalText(text: string, tty: boolean): string {
  const shown = tty ? escapeControls(text, { newline: true, tab: 'keep' }) : text;
  return shown.includes(OWN) ? shown.split(OWN).join('\x1b[') : shown;
}

/** Data (CSV, JSON) written to stdout: at a terminal, its control characters written out (line breaks and tabs kept); else exactly as it is. */
export function dataText(text: string, tty: boolean | undefined): string {
  return tty ? escapeControls(text, { newline: true, tab: 'keep' }) : text;
}
