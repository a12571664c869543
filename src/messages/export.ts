// Messages: Exporting CSV files.
import type { Entries } from './index.js';

export const exportMessages = {
  'cmd.export': { en: 'Export customers, orders or interactions as CSV (Excel, crm import) or JSON', zh: '导出客户、订单或互动记录为 CSV（可用 Excel 打开、可被 crm import 读回）或 JSON' },
  'cmd.export.customers': { en: 'Export customers, all of them or filtered as in customer list', zh: '导出客户：全部，或按 customer list 的条件筛选' },
  'cmd.export.orders': { en: "Export orders, newest first (all, or one customer's)", zh: '导出订单，最新的在前（全部或某位客户的）' },
  'cmd.export.interactions': { en: 'Export interactions, newest first', zh: '导出互动记录，最新的在前' },
  'opt.out': { en: 'write to this file, not standard output (- means standard output); the file appears whole or not at all', zh: '写入此文件而不是标准输出（- 表示标准输出）；文件要么完整写成，要么不产生' },
  'opt.exportForce': { en: 'replace the --out file if it exists', zh: '若 --out 文件已存在则覆盖' },
  'opt.exportFormat': { en: 'output format', zh: '输出格式' },
  'opt.excel': { en: 'for Excel: UTF-8 with a byte order mark and CRLF line ends', zh: '适配 Excel：带 BOM 的 UTF-8，行尾为 CRLF' },
  'opt.encoding': { en: 'text encoding of the CSV: utf-8, gb18030, gbk (old Excel) or utf-16le', zh: 'CSV 的文字编码：utf-8、gb18030、gbk（旧版 Excel）或 utf-16le' },
  'opt.mask': {
    en: 'mask personal data for sharing: names keep their first character (张*), phones their first 3 and last 4 digits, emails their first letter and domain, addresses their district; birthdays lose the year; member numbers and account or number fields (微信, QQ, 卡号, card) keep at most their last 4; inside notes, tags and order numbers every phone, email, card, id and house number is masked and the other words stay; city, dates and amounts are kept (the README lists it all)',
    zh: '遮蔽个人信息以便分享： 姓名保留首字（张*）， 电话保留前3位和后4位， 邮箱保留首字母和域名， 地址保留到区县； 生日去掉年份； 会员号和账号、号码类自定义字段（微信、QQ、卡号、card） 最多保留后4位； 备注、标签和订单号中的电话、邮箱、卡号、账号和门牌号都被遮蔽， 其余文字保留； 城市、日期和金额不变（详见 README）',
  },
  'msg.exported': { en: 'Exported {count} rows to {path}', zh: '已导出 {count} 行到 {path}' },
  'msg.exportProgress': { en: '{count} rows exported…', zh: '已导出 {count} 行…' },
  'warn.export.lossy': { en: 'note: {count} row(s) hold characters that {encoding} cannot represent; they were written as "?" (use --encoding gb18030 or utf-8 to keep them)', zh: '注意：有 {count} 行含有 {encoding} 无法表示的字符，已写成 "?"（用 --encoding gb18030 或 utf-8 可保留）' },
  'err.export.database': { en: '{path} is the database itself; export to another file', zh: '{path} 就是数据库本身；请导出到其他文件' },
  'err.export.exists': { en: '{path} already exists', zh: '{path} 已存在' },
  'err.export.write': { en: 'cannot write {path}: {reason}', zh: '无法写入 {path}：{reason}' },
  'err.export.jsonEncoding': { en: '--excel and --encoding are for CSV; JSON and NDJSON are always UTF-8', zh: '--excel 和 --encoding 只用于 CSV；JSON 和 NDJSON 始终为 UTF-8' },
  'err.encoding': { en: 'unknown encoding "{value}": use {allowed}', zh: '未知编码 "{value}"：请用 {allowed}' },
  'hint.export.force': { en: 'add --force to replace it, or choose another --out', zh: '加上 --force 可覆盖，或换一个 --out 文件名' },
} as const satisfies Entries;
