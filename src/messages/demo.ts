// Messages: The demo shop.
import type { Entries } from './index.js';

export const demoMessages = {
  'cmd.demo': { en: 'Create a demo shop (about 2,000 customers with orders) and show its overview', zh: '创建示例店铺（约 2000 位客户及订单）并显示概况' },
  'opt.demoCustomers': { en: 'how many customers', zh: '客户数量' },
  'opt.seed': { en: 'random seed: the same seed gives the same shop', zh: '随机种子：相同种子生成相同店铺' },
  'demo.shopName': { en: 'Demo shop', zh: '示例小店' },
  'demo.progress': { en: '{done} of {total} customers', zh: '已生成 {done}/{total} 位客户' },
  'demo.overview': { en: '{customers} customers, {orders} orders, {revenue} revenue, {interactions} interactions in {path}', zh: '{customers} 位客户，{orders} 笔订单，营业额 {revenue}，{interactions} 条互动记录，保存在 {path}' },
  'demo.top': { en: 'Top customers by spend', zh: '消费额最高的客户' },
  'demo.next': { en: "Try: crm find 张 · crm customer show <id> · crm customer list --sort last-order · crm --help", zh: '试试：crm find 张 · crm customer show <编号> · crm customer list --sort last-order · crm --help' },
  'err.demo.notEmpty': { en: '{path} already holds {count} customers', zh: '{path} 中已有 {count} 位客户' },
  'hint.demo.force': { en: 'use another --db, or --force to replace them', zh: '请换一个 --db，或用 --force 替换' },
  'opt.orderRate': { en: 'how often customers buy, as a multiple of the usual (default 1: about 7.6 orders a customer); for benchmarks', zh: '客户购买频率的倍数（默认 1：平均每位客户约 7.6 单）；用于性能测试' },
  'err.demo.orderRate': { en: '--order-rate "{value}": use a number above 0 and at most 10, e.g. 1.35', zh: '--order-rate "{value}"：请用大于 0、不超过 10 的数，如 1.35' },
} as const satisfies Entries;
