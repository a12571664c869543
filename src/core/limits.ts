// What crm keeps of free text, in one place: the longest value each field may hold, and no control
// characters (the bytes that move a terminal's cursor, retitle or clear it, and NUL). A value that
// breaks a rule is refused with the reason, never cut or cleaned silently: on `customer add|edit`,
// `crm log`, order and refund notes, complaints, settings, templates, survey answers, and each row
// of an import (the rejects file says why).
// The README's "What crm accepts and shows" lists these numbers.
import { badInput } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { CONTROL, CONTROL_BUT_LINES, CONTROLS, controlName } from './controls.js';

/** The most characters (Unicode code points) each field keeps. */
export const LIMITS = {
  name: 200,
  city: 100,
  address: 500,
  /** A customer's note, an interaction's, an order's or a refund's (each note column of an import). */
  note: 5000,
  externalId: 100,
  tag: 100,
  fieldName: 100,
  fieldValue: 2000,
  /** RFC 5321's longest address. */
  email: 254,
  /** A complaint's description (complaint add). */
  description: 5000,
  /** Who handles or did something: a complaint's --handler and --by. */
  person: 100,
  /** A setting's value (config set: shop_name, shop_phone, the SMTP sender, …). */
  setting: 500,
  /** The shop's signature under its messages (config set signature): it may have line breaks. */
  signature: 500,
  /** A survey's free-text answer (survey record --answer, an import of answers). */
  answer: 2000,
} as const;

export type LimitedField = keyof typeof LIMITS;

const TOO_LONG: Record<LimitedField, MessageId> = {
  name: 'err.tooLong.name',
  city: 'err.tooLong.city',
  address: 'err.tooLong.address',
  note: 'err.tooLong.note',
  externalId: 'err.tooLong.externalId',
  tag: 'err.tooLong.tag',
  fieldName: 'err.tooLong.fieldName',
  fieldValue: 'err.tooLong.fieldValue',
  email: 'err.tooLong.email',
  description: 'err.tooLong.description',
  person: 'err.tooLong.person',
  setting: 'err.tooLong.setting',
  signature: 'err.tooLong.signature',
  answer: 'err.tooLong.answer',
};

// Of the control characters (core/controls.ts), a note or a field's value keeps line breaks (LF,
// CRLF or CR) and tabs. A lone CR is a line break too (old Mac files, a quoted cell of a CR-only
// CSV): kept, and written out as \r on a terminal, so it cannot overwrite the line before it there.
const MULTILINE: ReadonlySet<LimitedField> = new Set(['note', 'fieldValue', 'description', 'signature', 'answer']);


/** The first characters of a long value, to name it in an error without printing all of it. */
function start(text: string): string {
  const chars = [...text.slice(0, 40)].slice(0, 12);
  return chars.join('').replace(CONTROLS, controlName) + (text.length > chars.join('').length ? '…' : '');
}

/** How many characters (code points) `text` has, counted only when its UTF-16 length could exceed `max`. */
function tooLong(text: string, max: number): number | null {
  if (text.length <= max) return null;
  let n = 0;
  for (const _ of text) n++;
  return n > max ? n : null;
}

/**
 * `text` as given when it fits `field`: at most its LIMITS characters and no control character
 * (a note, a custom field's value, a description, a signature or a survey answer may
 * hold line breaks and tabs); else bad input saying which rule and where.
 */
export function checkText<T extends string | null>(field: LimitedField, text: T): T {
  if (text === null) return text;
  const length = tooLong(text, LIMITS[field]);
  if (length !== null) throw badInput(TOO_LONG[field], { length, max: LIMITS[field], start: start(text) });
  checkControls(text, MULTILINE.has(field));
  return text;
}

/**
 * `text` as given when it holds no control character (but line breaks and tabs when `lines`);
 * else bad input naming the first and where. A message template's check (its length is the
 * template's own rule, core/template.ts).
 */
export function checkControls(text: string, lines: boolean): string {
  const m = (lines ? CONTROL_BUT_LINES : CONTROL).exec(text);
  if (m) {
    const at = [...text.slice(0, m.index)].length + 1;
    throw badInput('err.text.control', { char: controlName(m[0]), at, start: start(text) });
  }
  return text;
}

/** A note as kept: trimmed, checked against the note's rules (its line breaks as written); null when empty. */
export function cleanNote(raw: string): string | null {
  return cleanText('note', raw);
}

/** Free text as kept: trimmed, checked against `field`'s rules; null when empty (or not given). */
export function cleanText(field: LimitedField, raw: string | null | undefined): string | null {
  const v = raw?.trim() ?? '';
  return v === '' ? null : checkText(field, v);
}

/** Whether `text` fits `field` (checkText would take it). */
export function fits(field: LimitedField, text: string): boolean {
  try {
    checkText(field, text);
    return true;
  } catch {
    return false;
  }
}
