// Messages: Interactions (`crm log`).
import type { Entries } from './index.js';

export const logMessages = {
  'err.log.noteRequired': { en: 'an interaction needs a note saying what happened; nothing was recorded', zh: '互动需要一条备注说明发生了什么；未记录' },
  'hint.log.note': { en: 'add --note "…" (at a terminal, crm log asks for it)', zh: '请加 --note "…"（在终端中 crm log 会询问）' },
  'err.interactionType.complaint': { en: 'a complaint has deadlines and a follow-up of its own: crm complaint add <ref> (crm log keeps calls, visits and messages)', zh: '投诉有自己的时限和回访：请用 crm complaint add <客户>（crm log 记录电话、拜访和消息）' },
  'cmd.log': { en: 'Record interactions (calls, visits, messages) and list them', zh: '记录互动（电话、到店、消息）并列出' },
  'cmd.log.add': { en: 'Record an interaction with a customer (crm log <ref> is short for this)', zh: '记录与客户的一次互动（crm log <客户> 是它的简写）' },
  'cmd.log.list': { en: 'List interactions, newest first', zh: '列出互动记录，最新的在前' },
  'cmd.log.rm': { en: 'Remove an interaction by its id', zh: '按编号删除一条互动记录' },
  'arg.interactionId': { en: 'interaction id (the id column of crm log list)', zh: '互动编号（crm log list 的编号列）' },
  'opt.filterType': { en: 'only this type of interaction', zh: '只列出此类互动' },
  'opt.interactionType': { en: 'type: {types}', zh: '类型：{types}' },
  'opt.at': { en: 'when it happened (default: now)', zh: '发生时间（默认：现在）' },
  'interaction.call': { en: 'call', zh: '电话' },
  'interaction.visit': { en: 'visit', zh: '到店/拜访' },
  'interaction.message': { en: 'message', zh: '消息' },
  'interaction.email': { en: 'email', zh: '邮件' },
  'interaction.other': { en: 'other', zh: '其他' },
  'prompt.logNote': { en: 'What happened?', zh: '互动内容？' },
  'msg.logged': { en: 'Recorded {type} #{id} with {name} at {at}', zh: '已记录与 {name} 的{type} #{id}，时间 {at}' },
  'msg.interactionRemoved': { en: 'Removed {type} #{id} with {name}', zh: '已删除与 {name} 的{type} #{id}' },
  'err.interaction.notFound': { en: 'no interaction #{id}', zh: '没有互动记录 #{id}' },
  'err.interactionType': { en: 'type: "{value}" is not one of {allowed}', zh: '类型："{value}" 不是 {allowed} 之一' },
} as const satisfies Entries;
