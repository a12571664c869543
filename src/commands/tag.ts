// crm tag add|rm|list
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { normalizeTag } from '../core/text.js';
import { badInput } from '../errors.js';
import { renderList } from '../output.js';
import { addTags, removeTags, tagCounts } from '../store/customers.js';
import { transaction } from '../store/db.js';
import { addFormatOption, example, formatOf, resolveCustomer } from './common.js';

function cleanTags(raw: string[]): string[] {
  const tags = raw.map(normalizeTag).filter((t): t is string => t !== null);
  if (tags.length === 0) throw badInput('err.tag.none');
  return tags;
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm tag add 13800138000 VIP 老客户', 'crm tag list');

  const addCmd = cmd
    .command('add')
    .description(ctx.t('cmd.tag.add'))
    .argument('<ref>', ctx.t('arg.ref'))
    .argument('<tag...>', ctx.t('arg.tags'))
    .action(async (ref: string, raw: string[]) => {
      const c = await resolveCustomer(ctx, ref);
      const db = await ctx.db();
      const tags = cleanTags(raw);
      const added = transaction(db, () => addTags(db, c.id, tags, ctx.nowIso()));
      ctx.out(ctx.t('msg.tagsAdded', { count: added, id: c.id, name: c.name }));
    });
  example(addCmd, ctx, 'crm tag add 张伟 VIP 团购');

  const rmCmd = cmd
    .command('rm')
    .description(ctx.t('cmd.tag.rm'))
    .argument('<ref>', ctx.t('arg.ref'))
    .argument('<tag...>', ctx.t('arg.tags'))
    .action(async (ref: string, raw: string[]) => {
      const c = await resolveCustomer(ctx, ref);
      const db = await ctx.db();
      const tags = cleanTags(raw);
      const removed = transaction(db, () => removeTags(db, c.id, tags, ctx.nowIso()));
      ctx.out(ctx.t('msg.tagsRemoved', { count: removed, id: c.id, name: c.name }));
    });
  example(rmCmd, ctx, 'crm tag rm 13800138000 新客');

  const listCmd = addFormatOption(cmd.command('list').description(ctx.t('cmd.tag.list')), ctx).action(async (o) => {
    renderList(
      ctx,
      formatOf(o),
      [
        { key: 'tag', header: 'col.tag', value: (r) => r.tag },
        { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
      ],
      tagCounts(await ctx.db()),
    );
  });
  example(listCmd, ctx, 'crm tag list', 'crm tag list --format csv');
}
