// Messages: what crm accepts of free text (src/core/limits.ts): lengths and control characters.
import type { Entries } from './index.js';

export const textMessages = {
  'err.tooLong.name': { en: 'name: {length} characters ("{start}"), more than the {max} a name may have', zh: '姓名：{length} 个字符（"{start}"），超过姓名最多的 {max} 个' },
  'err.tooLong.city': { en: 'city: {length} characters ("{start}"), more than the {max} a city may have', zh: '城市：{length} 个字符（"{start}"），超过城市最多的 {max} 个' },
  'err.tooLong.address': { en: 'address: {length} characters ("{start}"), more than the {max} an address may have', zh: '地址：{length} 个字符（"{start}"），超过地址最多的 {max} 个' },
  'err.tooLong.note': { en: 'note: {length} characters ("{start}"), more than the {max} a note may have', zh: '备注：{length} 个字符（"{start}"），超过备注最多的 {max} 个' },
  'err.tooLong.externalId': { en: 'member number: {length} characters ("{start}"), more than the {max} a member number may have', zh: '会员号：{length} 个字符（"{start}"），超过会员号最多的 {max} 个' },
  'err.tooLong.tag': { en: 'tag: {length} characters ("{start}"), more than the {max} a tag may have', zh: '标签：{length} 个字符（"{start}"），超过标签最多的 {max} 个' },
  'err.tooLong.fieldName': { en: 'custom field name: {length} characters ("{start}"), more than the {max} a field name may have', zh: '自定义字段名：{length} 个字符（"{start}"），超过字段名最多的 {max} 个' },
  'err.tooLong.fieldValue': { en: 'custom field value: {length} characters ("{start}"), more than the {max} a field value may have', zh: '自定义字段值：{length} 个字符（"{start}"），超过字段值最多的 {max} 个' },
  'err.tooLong.email': { en: 'email: {length} characters ("{start}"), more than the {max} an email address may have', zh: '邮箱：{length} 个字符（"{start}"），超过邮箱地址最多的 {max} 个' },
  'err.tooLong.description': { en: 'description: {length} characters ("{start}"), more than the {max} a description may have', zh: '描述：{length} 个字符（"{start}"），超过描述最多的 {max} 个' },
  'err.tooLong.person': { en: 'name of who: {length} characters ("{start}"), more than the {max} a handler’s or --by name may have', zh: '处理人：{length} 个字符（"{start}"），超过处理人（--handler、--by）最多的 {max} 个' },
  'err.tooLong.setting': { en: 'setting: {length} characters ("{start}"), more than the {max} a setting’s value may have', zh: '设置：{length} 个字符（"{start}"），超过设置值最多的 {max} 个' },
  'err.tooLong.signature': { en: 'signature: {length} characters ("{start}"), more than the {max} a signature may have', zh: '签名：{length} 个字符（"{start}"），超过签名最多的 {max} 个' },
  'err.tooLong.answer': { en: 'answer: {length} characters ("{start}"), more than the {max} an answer may have', zh: '回答：{length} 个字符（"{start}"），超过回答最多的 {max} 个' },
  'err.text.control': {
    en: '"{start}" holds a control character ({char}, character {at}): crm keeps no control characters (a note or a custom field’s value may have line breaks and tabs)',
    zh: '"{start}" 含有控制字符（{char}，第 {at} 个字符）：crm 不保存控制字符（备注和自定义字段的值可以有换行和制表符）',
  },
} as const satisfies Entries;
