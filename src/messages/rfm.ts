// Messages: RFM.
import type { Entries } from './index.js';

export const rfmMessages = {
  'cmd.rfm': { en: 'RFM report: recency, frequency and spend scored 1-5, customers by segment (--save keeps them)', zh: 'RFM 报告：最近消费、消费频率、消费金额各评 1-5 分，按客户分群（--save 保存）' },
  'opt.asOf': { en: 'compute as of this day (default: today in the shop\'s time zone)', zh: '以这一天为准计算（默认：店铺时区的今天）' },
  'opt.window': { en: 'frequency and spend over this window before the as-of day: 365d, 12w, 12mo, 1y', zh: '消费频率和金额统计的时间窗口：365d、12w、12mo、1y' },
  'opt.scheme': { en: 'segments: classic (Champions, Loyal, ... Lost) or cn8 (重要价值客户 ... 一般挽留客户)', zh: '分群方案：classic（冠军客户……已流失）或 cn8（重要价值客户……一般挽留客户）' },
  'opt.segment': { en: 'list the customers of this segment (its key or name)', zh: '列出这一分群的客户（键名或名称）' },
  'opt.filterSegment': { en: 'only customers in this RFM segment, as last saved by crm rfm --save (key or name)', zh: '只列出此 RFM 分群的客户（以最近一次 crm rfm --save 为准；键名或名称）' },
  'opt.rfmSave': { en: 'store the scores and segment on each customer (customer list --segment reads them)', zh: '把评分和分群保存到每位客户（customer list --segment 会用到）' },
  'col.segment': { en: 'Segment', zh: '分群' },
  'col.share': { en: 'Share', zh: '占比' },
  'col.revenueShare': { en: 'Revenue share', zh: '收入占比' },
  'col.avgRecency': { en: 'Days since order', zh: '距上次消费天数' },
  'col.avgFrequency': { en: 'Orders', zh: '订单数' },
  'col.avgMonetary': { en: 'Spend', zh: '消费额' },
  'col.r': { en: 'R', zh: 'R' },
  'col.f': { en: 'F', zh: 'F' },
  'col.m': { en: 'M', zh: 'M' },
  'col.recency': { en: 'Days since order', zh: '距上次消费天数' },
  'rfm.head': { en: 'RFM as of {asOf} (orders after {start} count for F and M): {customers} customers with orders, {prospects} prospects; scheme {scheme}', zh: 'RFM 以 {asOf} 为准（{start} 之后的订单计入 F 和 M）：有订单客户 {customers} 位，潜在客户 {prospects} 位；方案 {scheme}' },
  'rfm.prospects': { en: 'Prospects (no order yet): {count}', zh: '潜在客户（尚无订单）：{count} 位' },
  'rfm.saved': { en: 'Saved the scores and segments of {count} customers (as of {asOf}).', zh: '已保存 {count} 位客户的评分和分群（以 {asOf} 为准）。' },
  'err.rfm.scheme': { en: '--scheme "{value}": use {allowed}', zh: '--scheme "{value}"：请用 {allowed}' },
  'err.rfm.segment': { en: 'no segment "{value}"; segments: {allowed}', zh: '没有 "{value}" 这个分群；可用：{allowed}' },
  'profile.rfm': { en: 'RFM', zh: 'RFM' },
  'profile.rfmAsOf': { en: ', as of {asOf}', zh: '，以 {asOf} 为准' },
} as const satisfies Entries;
