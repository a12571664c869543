// What the command modules share: option parsers, customer refs, prompts and examples in help.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Customer } from '../core/customer.js';
import { localDay, tryParseDay } from '../core/dates.js';
import { sinceDay, sinceWhen } from '../core/duration.js';
import { INTERACTION_TYPES, parseInteractionType } from '../core/interaction.js';
import { badInput, failure } from '../errors.js';
import { addFormatOption as formatOption, LIST_FORMATS, parseFormat, type Format } from '../io/output.js';
import { escapeControls } from '../io/width.js';
import { CUSTOMER_SORTS, findCustomerIds, getCustomers } from '../store/customer.js';
import type { InteractionFilter } from '../store/interaction.js';
import type { OrderFilter } from '../store/order.js';

/** Collects a repeatable option (`--tag a --tag b`) into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parsePositiveInt(raw: string, option: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) throw badInput('err.positiveInt', { option, value: raw });
  return Number(raw);
}

/** --format with the formats this command honours (default table|csv|json; LONG_LIST_FORMATS adds ndjson). */
export function addFormatOption(cmd: Command, ctx: Context, formats: readonly Format[] = LIST_FORMATS): Command {
  return formatOption(cmd, ctx.t('opt.format'), formats);
}

export function formatOf(opts: { format?: string }): Format {
  return parseFormat(opts.format ?? 'table');
}

/** How many rows a listing shows: --limit, else 50 in a table (people) and all in CSV/JSON (machines). */
export function listLimit(limit: string | undefined, format: Format): number | null {
  if (limit !== undefined) return parsePositiveInt(limit, '--limit');
  return format === 'table' ? DEFAULT_TABLE_LIMIT : null;
}

/** Says on stderr that a table was cut at the default limit. */
export function noteTruncation(ctx: Context, opts: { limit?: string }, limit: number | null, shown: number, total?: () => number): void {
  if (opts.limit !== undefined || limit === null || shown < limit) return;
  const all = total?.();
  if (all === undefined) ctx.err(ctx.t('msg.truncatedSome', { shown }));
  else if (all > shown) ctx.err(ctx.t('msg.truncated', { shown, total: all }));
}

const DEFAULT_TABLE_LIMIT = 50;

const examples = new WeakMap<Command, string[]>();

/** Adds examples to a command's help (every command has at least one; a test checks). */
export function example(cmd: Command, ctx: Context, ...lines: string[]): Command {
  examples.set(cmd, lines);
  return cmd.addHelpText('after', `\n${ctx.t('help.examples')}\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

export function examplesOf(cmd: Command): string[] {
  return examples.get(cmd) ?? [];
}

/** Finds the one customer a ref names; none is a failure, several is bad input listing them. */
export async function resolveCustomer(ctx: Context, ref: string): Promise<Customer> {
  const db = await ctx.db();
  const { country } = await ctx.settings();
  const { refLookups, resolveRef } = await import('../core/ref.js');
  const ids = resolveRef(refLookups(ref, country), (lookup) => findCustomerIds(db, lookup));
  if (ids.length === 0) throw failure('err.ref.notFound', { ref }, { id: 'hint.ref.notFound', params: { ref } });
  const found = getCustomers(db, ids);
  if (found.length > 1) {
    const list = found
      .slice(0, 10)
      .map((c) => `#${c.id} ${c.name}${c.phones[0] ? ` ${c.phones[0].e164}` : ''}${c.city ? ` ${c.city}` : ''}`)
      .join('; ');
    throw badInput('err.ref.ambiguous', { ref, count: found.length, list }, { id: 'hint.ref.ambiguous' });
  }
  return found[0]!;
}

/** A prompt's text as a terminal may be shown it: inquirer writes it to stderr itself, past Context.err. */
const onScreen = (text: string) => escapeControls(text, { newline: true, tab: 'space' });

/**
 * Asks a person; never called without a terminal (callers check ctx.interactive). The messages,
 * choices and defaults (a stored value, which an earlier version may have let hold a terminal
 * escape) are shown with their control characters written out; a default taken as shown is
 * answered as it is stored.
 */
export async function prompts(ctx: Context) {
  const inquirer = await import('@inquirer/prompts');
  const io = { input: ctx.io.stdin, output: ctx.io.stderr };
  return {
    input: async (config: Parameters<typeof inquirer.input>[0]) => {
      const shownDefault = config.default === undefined ? undefined : onScreen(config.default);
      const stored = (v: string) => (shownDefault !== undefined && v === shownDefault ? config.default! : v);
      const validate = config.validate && ((v: string) => config.validate!(stored(v)));
      const answer = await inquirer.input({ ...config, message: onScreen(config.message), default: shownDefault, validate }, io);
      return stored(answer);
    },
    select: <V>(config: Parameters<typeof inquirer.select<V>>[0]) =>
      inquirer.select<V>(
        { ...config, message: onScreen(config.message), choices: config.choices.map((c) => (typeof c === 'object' && c !== null && 'name' in c && typeof c.name === 'string' ? { ...c, name: onScreen(c.name) } : c)) as typeof config.choices },
        io,
      ),
    /**
     * A choice that takes typed text as well as a pick: the list narrows to the choices whose name
     * or (a string) value starts with what is typed (urgent as well as 紧急), or whose value `typed`
     * reads it as (男 is male whatever the interface language); arrows move, Enter takes the one
     * marked. The default is listed first.
     */
    pick: <V>(config: { message: string; choices: { name: string; value: V }[]; default?: V; typed?: (text: string) => V | undefined }) => {
      const first = config.choices.filter((c) => c.value === config.default);
      const all = [...first, ...config.choices.filter((c) => c.value !== config.default)].map((c) => ({ ...c, name: onScreen(c.name) }));
      const source = async (term: string | undefined) => {
        const t = term?.normalize('NFKC').trim().toLowerCase();
        if (!t) return all;
        const read = config.typed?.(t);
        return all.filter((c) => c.name.toLowerCase().startsWith(t) || (typeof c.value === 'string' && c.value.toLowerCase().startsWith(t)) || (read !== undefined && c.value === read));
      };
      return inquirer.search<V>({ message: onScreen(config.message), source }, io);
    },
    confirm: (config: Parameters<typeof inquirer.confirm>[0]) => inquirer.confirm({ ...config, message: onScreen(config.message) }, io),
  };
}

/** Runs a validation function for a prompt: true, or the error's message in the user's language. */
export function validateWith(ctx: Context, check: (value: string) => unknown): (value: string) => true | string {
  return (value: string) => {
    try {
      check(value);
      return true;
    } catch (e) {
      const err = e as { id?: Parameters<Context['t']>[0]; params?: Record<string, string | number>; message: string };
      return err.id ? ctx.t(err.id, err.params) : err.message;
    }
  };
}

/** The day a report is worked out for: --as-of as typed, else today in the shop's zone. */
export async function asOfDay(ctx: Context, raw: string | undefined): Promise<string> {
  const { timezone } = await ctx.settings();
  if (raw === undefined) return localDay(ctx.now(), timezone);
  const day = tryParseDay(raw);
  if (!day) throw badInput('err.date', { value: raw });
  return day;
}

/** The filter options of `customer list` and `export customers` (app/customer.ts customerFilterOf reads them). */
export function addCustomerFilterOptions(cmd: Command, ctx: Context): Command {
  return cmd
    .option('--tag <tag>', ctx.t('opt.filterTag'), collect)
    .option('--city <city>', ctx.t('opt.filterCity'))
    .option('--since <when>', ctx.t('opt.since'))
    .option('--segment <segment>', ctx.t('opt.filterSegment'))
    .option('--tier <level>', ctx.t('opt.filterTier'))
    .option('--abc <class>', ctx.t('opt.filterAbc'))
    .option('--stage <stage>', ctx.t('opt.filterStage'))
    .option('--value-class <class>', ctx.t('opt.filterValueClass'))
    .option('--unnamed', ctx.t('opt.filterUnnamed'))
    .option('--sort <key>', ctx.t('opt.sort', { keys: Object.keys(CUSTOMER_SORTS).join('|') }))
    .option('--limit <n>', ctx.t('opt.limit'))
    .option('--columns <keys>', ctx.t('opt.columns'));
}

/** The filter of `order list` and `export orders`: a customer, --since, --limit. */
export function addOrderFilterOptions(cmd: Command, ctx: Context): Command {
  return cmd.argument('[ref]', ctx.t('arg.refOptional')).option('--since <when>', ctx.t('opt.since')).option('--limit <n>', ctx.t('opt.limit'));
}

/** Those options as a store filter. */
export async function orderFilterOf(ctx: Context, ref: string | undefined, o: { since?: string }, limit: number | null): Promise<OrderFilter> {
  const { timezone } = await ctx.settings();
  return {
    customerId: ref === undefined ? undefined : (await resolveCustomer(ctx, ref)).id,
    sinceDay: o.since ? sinceDay(o.since, timezone, ctx.now()) : undefined,
    limit,
  };
}

/** The filter of `log list` and `export interactions`: a customer, --type, --since, --limit. */
export function addInteractionFilterOptions(cmd: Command, ctx: Context): Command {
  return cmd
    .argument('[ref]', ctx.t('arg.refOptional'))
    .option('--type <type>', `${ctx.t('opt.filterType')} (${INTERACTION_TYPES.join('|')})`)
    .option('--since <when>', ctx.t('opt.since'))
    .option('--limit <n>', ctx.t('opt.limit'));
}

/** Those options as a store filter. */
export async function interactionFilterOf(ctx: Context, ref: string | undefined, o: { type?: string; since?: string }, limit: number | null): Promise<InteractionFilter> {
  const { timezone } = await ctx.settings();
  return {
    customerId: ref === undefined ? undefined : (await resolveCustomer(ctx, ref)).id,
    type: o.type ? parseInteractionType(o.type) : undefined,
    since: o.since ? sinceWhen(o.since, timezone, ctx.now()).at : undefined,
    limit,
  };
}
