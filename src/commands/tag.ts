// crm tag add|rm|list
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { normalizeTag } from '../core/text.js';
import { badInput } from '../errors.js';
import { renderList } from '../io/output.js';
import { addTags, removeTags, tagCounts } from '../store/customer.js';
import { transaction } from '../store/db.js';
import { addFormatOption, example, formatOf, resolveCustomer } from './common.js';

function cleanTags(raw: string[]): string[] {
  const tags = raw.map(normalizeTag).filter((t): t is string => t !== null);
  if (tags.length === 0) throw badInput('err.tag.none');
  return tags;
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm tag add 13800138000 VIP 老客户', 'crm tag list');

  for (const op of ['add', 'rm'] as const) {
    const sub = cmd
      .command(op)
      .description(ctx.t(op === 'add' ? 'cmd.tag.add' : 'cmd.tag.rm'))
      .argument('<ref>', ctx.t('arg.ref'))
      .argument('<tag...>', ctx.t('arg.tags'))
      .action(async (ref: string, raw: string[]) => {
        const c = await resolveCustomer(ctx, ref);
        const db = await ctx.db();
        const tags = cleanTags(raw);
        const count = transaction(db, () => (op === 'add' ? addTags : removeTags)(db, c.id, tags, ctx.nowIso()));
        ctx.out(ctx.t(op === 'add' ? 'msg.tagsAdded' : 'msg.tagsRemoved', { count, id: c.id, name: c.name }));
      });
    example(sub, ctx, op === 'add' ? 'crm tag add 张伟 VIP 团购' : 'crm tag rm 13800138000 新客');
  }

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
  readOnly(listCmd);
}
