// Messages: the holidays greetings go out for, by name (holiday.<key>, the keys of core/calendar.ts).
import type { Entries } from './index.js';

export const calendarMessages = {
  'holiday.new_year': { en: "New Year's Day", zh: '元旦' },
  'holiday.spring_festival': { en: 'Spring Festival', zh: '春节' },
  'holiday.lantern': { en: 'Lantern Festival', zh: '元宵节' },
  'holiday.womens_day': { en: "Women's Day", zh: '妇女节' },
  'holiday.mothers_day': { en: "Mother's Day", zh: '母亲节' },
  'holiday.dragon_boat': { en: 'Dragon Boat Festival', zh: '端午节' },
  'holiday.fathers_day': { en: "Father's Day", zh: '父亲节' },
  'holiday.qixi': { en: 'Qixi Festival', zh: '七夕' },
  'holiday.mid_autumn': { en: 'Mid-Autumn Festival', zh: '中秋节' },
  'holiday.national_day': { en: 'National Day', zh: '国庆节' },
  'holiday.double_ninth': { en: 'Double Ninth Festival', zh: '重阳节' },
} as const satisfies Entries;
