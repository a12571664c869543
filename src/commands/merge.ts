// crm merge <keep> <other>...: merges chosen customers into the first, directly (crm dedupe undo reverses it).
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { badInput } from '../errors.js';
import { mergeCluster } from '../app/merge.js';
import { example, prompts, resolveCustomer } from './common.js';

async function merge(ctx: Context, refs: string[], o: { yes?: boolean }): Promise<void> {
  const byId = new Map<number, Awaited<ReturnType<typeof resolveCustomer>>>();
  for (const ref of refs) {
    const c = await resolveCustomer(ctx, ref);
    if (!byId.has(c.id)) byId.set(c.id, c);
  }
  const customers = [...byId.values()];
  const ids = customers.map((c) => c.id);
  if (ids.length < 2) throw badInput('err.merge.same');
  const [keep, ...others] = ids as [number, ...number[]];
  if (!o.yes) {
    if (!ctx.interactive) throw badInput('err.merge.confirm', { keep, others: others.map((x) => `#${x}`).join(', ') }, { id: 'hint.merge.yes' });
    const p = await prompts(ctx);
    const names = customers.map((c) => `#${c.id} ${c.name}`);
    if (!(await p.confirm({ message: ctx.t('prompt.merge', { keep: names[0]!, others: names.slice(1).join(', ') }), default: false }))) {
      ctx.err(ctx.t('msg.cancelled'));
      return;
    }
  }
  const id = await mergeCluster(ctx, keep, others, 'merge', null);
  ctx.out(ctx.t('dedupe.mergedHand', { merge: id, survivor: keep, merged: others.map((x) => `#${x}`).join(', ') }));
}

export function register(cmd: Command, ctx: Context): void {
  cmd
    .argument('<keep>', ctx.t('arg.mergeKeep'))
    .argument('<others...>', ctx.t('arg.mergeOthers'))
    .option('-y, --yes', ctx.t('opt.yes'))
    .action((keep: string, others: string[], o: { yes?: boolean }) => merge(ctx, [keep, ...others], o));
  example(cmd, ctx, 'crm merge 12 15', 'crm merge 13800138000 "张 伟" --yes');
}
