// Messages: Shop figures (`crm stats`).
import type { Entries } from './index.js';

export const statsMessages = {
  'stats.complaints': { en: 'Complaints', zh: '投诉' },
  'stats.nps': { en: 'NPS (surveys)', zh: 'NPS（满意度调查）' },
  'stats.csat': { en: 'CSAT (surveys)', zh: 'CSAT（满意度调查）' },
  'cmd.stats': { en: 'Shop figures for this month, quarter or year against the one before: customers, revenue, rates, stages, levels', zh: '本月（季、年）与上一期对比的店铺数据：客户、收入、各项比率、生命周期阶段、会员等级' },
  'opt.period': { en: 'month, quarter or year (also 月, 季度, 年; compared with the one before, over the same stretch of days)', zh: 'month（月）、quarter（季度）或 year（年）（与上一期的相同天数对比）' },
  'err.stats.period': { en: '--period "{value}": use {allowed} (or 月, 季度, 年)', zh: '--period "{value}"：请用 {allowed}（或 月、季度、年）' },
  'col.metric': { en: 'Figure', zh: '指标' },
  'col.current': { en: 'This period', zh: '本期' },
  'col.previous': { en: 'Previous', zh: '上期' },
  'col.change': { en: 'Change', zh: '变化' },
  'stats.customers': { en: 'Customers (at the end)', zh: '客户数（期末）' },
  'stats.new': { en: 'New customers (first order)', zh: '新客户（首次下单）' },
  'stats.active': { en: 'Active customers (ordered)', zh: '活跃客户（有下单）' },
  'stats.orders': { en: 'Orders', zh: '订单数' },
  'stats.revenue': { en: 'Revenue', zh: '收入' },
  'stats.aov': { en: 'Average order value', zh: '客单价' },
  'stats.repurchase': { en: 'Repurchase rate', zh: '复购率' },
  'stats.churn': { en: 'Churn rate', zh: '流失率' },
  'stats.points': { en: 'pts', zh: '个百分点' },
  'stats.lastComplete': { en: 'Today ({today}) is the first day of a {period}: shown is the last complete {period}; --as-of {today} for today alone.', zh: '今天（{today}）是本{period}第一天：显示的是上一个完整的{period}；只看今天请用 --as-of {today}。' },
  'stats.period.month': { en: 'month', zh: '月' },
  'stats.period.quarter': { en: 'quarter', zh: '季度' },
  'stats.period.year': { en: 'year', zh: '年' },
  'stats.head': { en: 'This period: {start} to {end}; previous: {prevStart} to {prevEnd}. Stages and levels are counted at each end.', zh: '本期：{start} 至 {end}；上期：{prevStart} 至 {prevEnd}。阶段和等级按各期末统计。' },
  'stats.definitions': {
    en: 'Repurchase rate: active customers with 2+ orders in the period. Churn rate: customers with orders and not churned the day before the period who had no order for over {churnDays} days at its end.',
    zh: '复购率：本期下单 2 次及以上的客户占活跃客户的比例。流失率：期初前一天有订单且未流失的客户中，到期末已超过 {churnDays} 天未下单的比例。',
  },
} as const satisfies Entries;
