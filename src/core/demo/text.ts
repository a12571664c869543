// What the demo shop writes about its customers beyond who they are: tags, where they came from,
// sizes, order notes and the notes of follow-ups (calls, visits, messages, emails).
import type { InteractionType } from '../interaction.js';
import { Table } from '../random.js';

export const TAGS_EXTRA = new Table<string>([
  ['微信群', 12], ['熟人介绍', 8], ['线上', 10], ['线下', 8], ['团购', 6], ['老客户', 4], ['会员', 3],
]);

export const SOURCES = new Table<string>([
  ['朋友介绍', 30], ['路过', 20], ['大众点评', 15], ['小红书', 15], ['美团', 8], ['抖音', 7], ['微信群', 5],
]);
export const SIZES = new Table<string>([['S', 2], ['M', 5], ['L', 4], ['XL', 2], ['XXL', 1]]);

export const ORDER_NOTES_ZH = [
  '送货上门', '需要发票', '礼盒装', '预订，周六自提', '少放糖', '老顾客九折', '团购', '代朋友购买', '加急',
  '微信转账', '生日礼物，附贺卡', '缺货部分下次补',
] as const;
export const ORDER_NOTES_EN = [
  'gift wrap', 'delivery', 'invoice requested', 'paid by WeChat', 'pickup Saturday', 'for a birthday party',
  'rush order', 'partial delivery, rest next week',
] as const;

export const INTERACTION_NOTES: Record<'zh' | 'en', Record<InteractionType, readonly string[]>> = {
  zh: {
    call: [
      '回访：对新品很满意', '电话确认送货地址', '打电话提醒取货', '询问退换货流程', '电话通知会员日活动',
      '回访：上次的茶叶有点受潮，已道歉并补发', '预约周六到店', '没接电话，稍后再打', '电话沟通团购价格',
    ],
    visit: ['到店试吃，买了两盒', '来店里看新款', '带朋友一起来', '到店咨询团购价格', '上门送货，顺便介绍新品', '到店退换货'],
    message: [
      '微信发了新品图片', '发送生日优惠券', '微信确认订单', '提醒优惠券快过期', '客户微信问有没有现货',
      '发了会员日活动通知', '微信发了物流单号',
    ],
    email: ['发送电子发票', '邮件发送报价单', '邮件确认企业订单'],
    other: ['寄了节日礼品', '在展会上认识', '拉进微信群', '记录：觉得价格偏高', '中秋送了月饼'],
  },
  en: {
    call: [
      'called about a late delivery', 'follow-up call, happy with the order', 'confirmed delivery address',
      'left a voicemail', 'asked about the return policy', 'called to book a tasting',
    ],
    visit: ['came in to try the new flavours', 'visited with a friend', 'picked up the order in store', 'asked about bulk pricing'],
    message: ['sent photos of new arrivals', 'sent a birthday coupon', 'WeChat: confirmed the order', 'reminded about member day'],
    email: ['sent the invoice by email', 'emailed a quote', 'asked by email about shipping abroad', 'sent the newsletter'],
    other: ['sent a holiday gift', 'met at a trade fair', 'added to the WeChat group'],
  },
};

/** Follow-ups with someone who has not bought yet. */
export const LEAD_NOTES: Record<'zh' | 'en', Partial<Record<InteractionType, readonly string[]>>> = {
  zh: {
    call: ['电话咨询价格，还没下单', '回电介绍会员优惠', '没接电话，稍后再打'],
    message: ['微信发了产品目录', '客户微信问有没有现货', '发了新客优惠券'],
    visit: ['到店看了看，说下次再买', '到店试吃，觉得偏贵'],
  },
  en: {
    call: ['asked for prices, has not ordered yet', 'left a voicemail'],
    message: ['sent the product catalogue', 'sent a first-order coupon'],
    visit: ['browsed in store, may come back', 'came in for a tasting'],
  },
};
