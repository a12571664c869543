// Messages: Shop settings (`crm config`).
import type { Entries } from './index.js';

export const configMessages = {
  'cmd.config': { en: 'Shop settings: name, signature, time zone, currency, language, country', zh: '店铺设置：店名、落款、时区、币种、语言、国家' },
  'cmd.config.get': { en: 'Print one setting', zh: '显示一项设置' },
  'cmd.config.set': { en: 'Change a setting', zh: '修改一项设置' },
  'cmd.config.unset': { en: 'Return a setting to its default', zh: '恢复一项设置的默认值' },
  'cmd.config.list': { en: 'List all settings with their values', zh: '列出全部设置及其取值' },
  'arg.settingKey': { en: 'setting name (see crm config list)', zh: '设置名（见 crm config list）' },
  'arg.settingValue': { en: 'new value', zh: '新的值' },
  'config.set': { en: 'set', zh: '已设置' },
  'config.default': { en: 'default', zh: '默认' },
  'setting.shop_name': { en: 'shop name, used in greetings', zh: '店名，用于问候语' },
  'setting.signature': { en: 'signature at the end of messages', zh: '消息末尾的落款' },
  'setting.timezone': { en: 'time zone of the shop (IANA, e.g. Asia/Shanghai)', zh: '店铺时区（IANA 名称，如 Asia/Shanghai）' },
  'setting.currency': { en: 'currency (ISO 4217, e.g. CNY)', zh: '币种（ISO 4217，如 CNY）' },
  'setting.language': { en: 'language of customer messages: en or zh', zh: '发给客户的消息语言：en 或 zh' },
  'setting.country': { en: 'country of phone numbers typed without +code (ISO 3166, e.g. CN)', zh: '不带国家码的电话号码所属国家（ISO 3166，如 CN）' },
  'msg.settingSet': { en: '{key} = {value}', zh: '{key} = {value}' },
  'msg.settingUnset': { en: '{key} is back to its default', zh: '{key} 已恢复默认值' },
  'err.setting.unknown': { en: 'unknown setting "{key}"; settings: {keys}', zh: '未知设置 "{key}"；可用设置：{keys}' },
  'err.setting.currencyInUse': { en: 'the currency stays {from}: {orders} orders are recorded in it, and their amounts would change meaning in {to}', zh: '币种仍为 {from}：已有 {orders} 笔订单以它记录，改为 {to} 会改变这些金额的含义' },
  'err.setting.empty': { en: '{key} cannot be empty', zh: '{key} 不能为空' },
  'err.setting.timezone': { en: '"{value}" is not an IANA time zone such as Asia/Shanghai', zh: '"{value}" 不是 IANA 时区，例如 Asia/Shanghai' },
  'err.setting.currency': { en: '"{value}" is not an ISO 4217 currency such as CNY', zh: '"{value}" 不是 ISO 4217 币种，例如 CNY' },
  'err.setting.language': { en: '"{value}" is not a language crm speaks: en or zh', zh: '"{value}" 不是支持的语言：en 或 zh' },
  'err.setting.country': { en: '"{value}" is not an ISO 3166 country code such as CN', zh: '"{value}" 不是 ISO 3166 国家代码，例如 CN' },
} as const satisfies Entries;
