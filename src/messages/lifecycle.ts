// Messages: Lifecycle stages.
import type { Entries } from './index.js';

export const lifecycleMessages = {
  'setting.stage_new_days': { en: 'lifecycle: a customer is new while their first order is at most this many days old', zh: '生命周期：首单在这么多天以内的客户为新客户' },
  'setting.stage_churn_days': { en: 'lifecycle: a customer has churned after this many days without an order', zh: '生命周期：这么多天没有下单的客户为已流失' },
  'setting.stage_at_risk_factor': { en: "lifecycle: a customer is at risk when this many times their usual interval has passed since their last order", zh: '生命周期：距上次下单超过其平时间隔的这么多倍时为有流失风险' },
  'setting.stage_won_back_days': { en: 'lifecycle: a customer is won back for this many days after returning from churn', zh: '生命周期：流失后重新下单的客户在这么多天内为已挽回' },
  'err.setting.days': { en: '{key} "{value}": use a whole number of days from 1 to 3650', zh: '{key} "{value}"：请用 1 到 3650 之间的整天数' },
  'err.setting.factor': { en: '{key} "{value}": use a number from 1 to 10, e.g. 1.5', zh: '{key} "{value}"：请用 1 到 10 之间的数，如 1.5' },
  'stage.prospect': { en: 'Prospect', zh: '潜在客户' },
  'stage.new': { en: 'New', zh: '新客户' },
  'stage.active': { en: 'Active', zh: '活跃' },
  'stage.atRisk': { en: 'At risk', zh: '有流失风险' },
  'stage.churned': { en: 'Churned', zh: '已流失' },
  'stage.wonBack': { en: 'Won back', zh: '已挽回' },
  'stage.rules': {
    en: 'Stages as of {asOf}: new = first order within {newDays} days; churned = no order for over {churnDays} days; won back = returned within {wonBackDays} days after such a gap; at risk = over {factor} × their usual interval since the last order (shop median {shopInterval} days for one-time buyers). Change with crm config set stage_...',
    zh: '生命周期以 {asOf} 为准：新客户 = 首单在 {newDays} 天内；已流失 = 超过 {churnDays} 天未下单；已挽回 = 如此间断后在 {wonBackDays} 天内重新下单；有流失风险 = 距上次下单超过平时间隔的 {factor} 倍（只买过一天的客户按全店中位数 {shopInterval} 天）。可用 crm config set stage_... 修改',
  },
  'opt.filterStage': { en: 'only customers at this lifecycle stage: prospect, new, active, at-risk, churned, won-back', zh: '只列出此生命周期阶段的客户：prospect、new、active、at-risk、churned、won-back（或中文名）' },
  'err.stage': { en: 'no stage "{value}"; stages: {allowed}', zh: '没有 "{value}" 这个阶段；可用：{allowed}' },
  'col.stage': { en: 'Stage', zh: '阶段' },
  'profile.stage': { en: 'Stage', zh: '阶段' },
  'profile.nextPurchase': { en: 'Next purchase', zh: '预计下次购买' },
  'profile.nextDue': { en: '{day} (in {days} days, going by every {interval} days)', zh: '{day}（{days} 天后；按每 {interval} 天一次）' },
  'profile.nextOverdue': { en: '{day} ({days} days overdue, going by every {interval} days)', zh: '{day}（已超过 {days} 天；按每 {interval} 天一次）' },
  'profile.nextToday': { en: '{day} (today, going by every {interval} days)', zh: '{day}（今天；按每 {interval} 天一次）' },
  'profile.nextChurned': { en: 'not expected: churned (last order {last})', zh: '不再预计：已流失（上次下单 {last}）' },
  'profile.nextUnknown': { en: 'not known yet (one purchase day)', zh: '暂无法预计（只购买过一天）' },
} as const satisfies Entries;
