// Control characters, defined once: Unicode's Cc (C0 controls, DEL, C1 controls), the bytes that
// move a terminal's cursor, retitle or clear it, and NUL. Core refuses them on the way in
// (limits.ts), io writes them out by name on the way to a terminal (io/width.ts).

/** Any control character. */
export const CONTROL = /\p{Cc}/u;
/** Every control character (global, for replace). */
export const CONTROLS = /\p{Cc}/gu;
/** A control character other than a line break (LF, CR) or a tab: what a note, a template's body or a field's value may not hold. */
export const CONTROL_BUT_LINES = /[^\P{Cc}\n\r\t]/u;
/** Every control character but line breaks and tabs (global, for replace). */
export const CONTROLS_BUT_LINES = /[^\P{Cc}\n\r\t]/gu;

const NAMED: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 27: '\\e' };

/** How a control character is written for people: \0, \e (escape), \r, \x07 ... */
export function controlName(ch: string): string {
  const code = ch.codePointAt(0)!;
  return NAMED[code] ?? `\\x${code.toString(16).padStart(2, '0')}`;
}
