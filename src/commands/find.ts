// crm find <text>: search names, phones, emails, notes and tags.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { planSearch } from '../core/search.js';
import { badInput } from '../errors.js';
import { searchCustomers } from '../store/customer.js';
import { addFormatOption, example, parsePositiveInt } from './common.js';
import { printCustomers } from './columns.js';

const DEFAULT_LIMIT = 20;

async function find(ctx: Context, words: string[], o: { limit?: string; format?: string; columns?: string }): Promise<void> {
  const { country } = await ctx.settings();
  const plan = planSearch(words.join(' '), country);
  if (!plan.match && !plan.phone && !plan.namePrefix) throw badInput('err.find.empty');
  const limit = o.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt(o.limit, '--limit');
  const rows = searchCustomers(await ctx.db(), plan, limit);
  await printCustomers(ctx, o, rows);
  if (o.limit === undefined && rows.length === limit) ctx.err(ctx.t('msg.truncatedBest', { shown: limit }));
}

export function register(cmd: Command, ctx: Context): void {
  addFormatOption(cmd.argument('<text...>', ctx.t('arg.findText')).option('--limit <n>', ctx.t('opt.findLimit')).option('--columns <keys>', ctx.t('opt.columns')), ctx).action(
    (words, o) => find(ctx, words, o),
  );
  example(cmd, ctx, 'crm find 张', 'crm find 小明', 'crm find 8000          # phone ending in 8000', 'crm find emily --format json');
  readOnly(cmd);
}
