// Interactions: the follow-up record of calls, visits, messages and emails with a customer.
import { badInput } from '../errors.js';
import { cleanNote } from './limits.js';

export const INTERACTION_TYPES = ['call', 'visit', 'message', 'email', 'other'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface Interaction {
  id: number;
  customerId: number;
  type: InteractionType;
  note: string | null;
  /** When it happened: UTC instant, ISO 8601. */
  at: string;
  createdAt: string;
}

const ALIASES: Record<string, InteractionType> = {
  call: 'call', phone: 'call', 电话: 'call',
  visit: 'visit', 到店: 'visit', 拜访: 'visit', 回访: 'visit',
  message: 'message', msg: 'message', sms: 'message', wechat: 'message', 微信: 'message', 短信: 'message', 消息: 'message',
  email: 'email', mail: 'email', 邮件: 'email',
  other: 'other', 其他: 'other',
};

/** Words that mean a complaint, which has a command of its own (crm complaint add). */
const COMPLAINT_WORDS = new Set(['complaint', 'complain', '投诉', '客诉', '抱怨', '投訴']);

export function parseInteractionType(raw: string): InteractionType {
  if (COMPLAINT_WORDS.has(raw.trim().toLowerCase())) throw badInput('err.interactionType.complaint', { value: raw });
  const key = raw.trim().toLowerCase();
  const t = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
  if (!t) throw badInput('err.interactionType', { value: raw, allowed: INTERACTION_TYPES.join('|') });
  return t;
}

/** An interaction's note as kept: trimmed, within a note's rules; none (empty) is no record of what happened: bad input. */
export function interactionNote(raw: string | undefined): string {
  const note = cleanNote(raw ?? '');
  if (note === null) throw badInput('err.log.noteRequired', {}, { id: 'hint.log.note' });
  return note;
}
