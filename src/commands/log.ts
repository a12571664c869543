// crm log <ref> (record an interaction) and crm log list.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { formatLocal, parseWhen } from '../core/dates.js';
import { INTERACTION_TYPES, interactionNote, parseInteractionType } from '../core/interaction.js';
import { renderList } from '../io/output.js';
import { failure } from '../errors.js';
import { transaction } from '../store/db.js';
import { deleteInteraction, getInteraction, insertInteraction, listInteractions } from '../store/interaction.js';
import { interactionColumns } from './columns.js';
import { addFormatOption, addInteractionFilterOptions, example, formatOf, interactionFilterOf, listLimit, noteTruncation, parsePositiveInt, prompts, resolveCustomer } from './common.js';

async function add(ctx: Context, ref: string, o: { type: string; note?: string; at?: string }): Promise<void> {
  const type = parseInteractionType(o.type);
  const { timezone } = await ctx.settings();
  const when = parseWhen(o.at ?? 'now', timezone, ctx.now());
  const c = await resolveCustomer(ctx, ref);
  // An interaction without a word of what happened is no record: refused, and at the prompt an
  // empty answer cancels.
  let note = o.note?.trim();
  if (o.note === undefined && ctx.interactive) {
    note = (await (await prompts(ctx)).input({ message: ctx.t('prompt.logNote') })).trim();
    if (!note) return ctx.err(ctx.t('msg.cancelled'));
  }
  const kept = interactionNote(note);
  const db = await ctx.db();
  const id = transaction(db, () => insertInteraction(db, { customerId: c.id, type, note: kept, at: when.at }, ctx.nowIso()));
  ctx.out(ctx.t('msg.logged', { id, type: ctx.t(`interaction.${type}`), name: c.name, at: formatLocal(when.at, timezone) }));
}

async function list(ctx: Context, ref: string | undefined, o: { type?: string; since?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const rows = listInteractions(await ctx.db(), await interactionFilterOf(ctx, ref, o, limit));
  renderList(ctx, format, await interactionColumns(ctx), rows);
  noteTruncation(ctx, o, limit, rows.length);
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm log 13800138000 --type call --note "回访：对新品很满意"', 'crm log list --since 7d');

  // `crm log <ref> ...` is short for `crm log add <ref> ...` (the default subcommand).
  const addCmd = cmd
    .command('add', { isDefault: true })
    .description(ctx.t('cmd.log.add'))
    .argument('<ref>', ctx.t('arg.ref'))
    .option('--type <type>', ctx.t('opt.interactionType', { types: INTERACTION_TYPES.join('|') }), 'other')
    .option('--note <text>', ctx.t('opt.note'))
    .option('--at <when>', ctx.t('opt.at'))
    .action((ref, o) => add(ctx, ref, o));
  example(addCmd, ctx, 'crm log 13800138000 --type call --note "回访：对新品很满意"', 'crm log add 张伟 --type visit --at "2026-02-14 15:30"');

  const listCmd = addFormatOption(addInteractionFilterOptions(cmd.command('list').description(ctx.t('cmd.log.list')), ctx), ctx).action((ref, o) =>
    list(ctx, ref, o),
  );
  example(listCmd, ctx, 'crm log list', 'crm log list 13800138000 --type call --format json');

  const rmCmd = cmd
    .command('rm')
    .description(ctx.t('cmd.log.rm'))
    .argument('<id>', ctx.t('arg.interactionId'))
    .action(async (raw: string) => {
      const id = parsePositiveInt(raw, '<id>');
      const db = await ctx.db();
      const row = getInteraction(db, id);
      if (!row) throw failure('err.interaction.notFound', { id });
      transaction(db, () => deleteInteraction(db, id));
      ctx.out(ctx.t('msg.interactionRemoved', { id, type: ctx.t(`interaction.${row.type}`), name: row.customerName }));
    });
  example(rmCmd, ctx, 'crm log rm 17');
  readOnly(listCmd);
}
