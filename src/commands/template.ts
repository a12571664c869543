// crm template list|show|render|new|edit|rm: the greeting templates (Liquid), built-in and the
// shop's own. The language of a template is crm's --lang when given, else the shop's message
// language (crm config set language).
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import type { Customer } from '../core/customer.js';
import { addDays, isoDay } from '../core/dates.js';
import { checkTemplate, parseTemplateName, splitTemplateName } from '../core/template.js';
import type { MessageExtras } from '../app/template.js';
import { loadTemplates, renderers, templateOptions, varsReader } from '../app/template.js';
import { badInput, failure } from '../errors.js';
import { editText, readAll, readTemplateFile } from '../io/templates.js';
import { renderList, renderOne, type Column } from '../io/output.js';
import type { Lang, MessageId } from '../messages/index.js';
import { transaction } from '../store/db.js';
import { customFieldKeys } from '../store/export.js';
import { deleteTemplate, getTemplate, listTemplates, putTemplate } from '../store/template.js';
import { addFormatOption, example, formatOf, resolveCustomer } from './common.js';

const ONE: readonly ('table' | 'json')[] = ['table', 'json'];

/** The language a command works in: crm's --lang when given, else the shop's message language. */
async function langOf(ctx: Context, cmd: Command): Promise<{ lang: Lang; asked: boolean }> {
  const asked = cmd.optsWithGlobals().lang !== undefined;
  return { lang: asked ? ctx.lang : (await ctx.settings()).language, asked };
}

const notFound = (name: string) => failure('err.template.notFound', { name }, { id: 'hint.template.list' });

async function list(ctx: Context, o: { format?: string }): Promise<void> {
  const lib = await loadTemplates(ctx);
  type Entry = ReturnType<typeof lib.entries>[number];
  const columns: Column<Entry>[] = [
    { key: 'name', header: 'col.template', value: (e) => e.name },
    { key: 'languages', header: 'col.languages', value: (e) => e.langs, display: (e) => e.langs.join(', ') },
    { key: 'source', header: 'col.source', value: (e) => e.source, display: (e) => ctx.t(`template.source.${e.source}` as MessageId) },
  ];
  renderList(ctx, formatOf(o), columns, lib.entries());
}

async function show(ctx: Context, cmd: Command, raw: string, o: { format?: string }): Promise<void> {
  const name = parseTemplateName(raw);
  const { lang } = await langOf(ctx, cmd);
  const t = (await loadTemplates(ctx)).inLanguage(name, lang);
  if (!t) throw notFound(name);
  if (t.lang !== lang) ctx.err(ctx.t('template.otherLang', { name, wanted: lang, lang: t.lang }));
  const format = formatOf(o);
  if (format === 'table') return ctx.out(t.body.trimEnd());
  renderOne(ctx, format, [
    { key: 'name', value: (x: typeof t) => x.name },
    { key: 'lang', value: (x) => x.lang },
    { key: 'source', value: (x) => x.source },
    { key: 'body', value: (x) => x.body },
  ], t);
}

/** What a preview knows of the occasion: the template's name, and for a birthday the customer's next one (a solar birthday). */
function previewExtras(name: string, c: Customer, today: string): MessageExtras {
  const key = splitTemplateName(name).base;
  let day = today;
  const md = c.birthday && !c.birthdayLunar ? c.birthday.slice(-5) : null;
  if (key.startsWith('birthday') && md) {
    const year = Number(today.slice(0, 4));
    const on = (y: number) => isoDay(y, Number(md.slice(0, 2)), Number(md.slice(3))) ?? `${y}-02-28`;
    day = on(year) >= today ? on(year) : on(year + 1);
  }
  return { occasion: { key, day, lunar: c.birthdayLunar && key.startsWith('birthday'), tier: c.tier, ends: key === 'renewal' ? addDays(today, 30) : null } };
}

async function render(ctx: Context, cmd: Command, raw: string, ref: string, o: { format?: string }): Promise<void> {
  const name = parseTemplateName(raw);
  const format = formatOf(o);
  const customer = await resolveCustomer(ctx, ref);
  const { lang } = await langOf(ctx, cmd);
  const t = (await loadTemplates(ctx)).forCustomer(name, lang, customer.tier);
  if (!t) throw notFound(name);
  const vars = await (await varsReader(ctx))(customer, t.lang, previewExtras(name, customer, await ctx.today()));
  const message = (await renderers(ctx))(t.lang).render(t.body, vars);
  if (format === 'table') {
    ctx.out(message);
    ctx.err(ctx.t('template.preview', { template: t.name, lang: t.lang, id: customer.id, name: customer.name }));
    return;
  }
  renderOne(ctx, format, [
    { key: 'template', value: () => t.name },
    { key: 'lang', value: () => t.lang },
    { key: 'source', value: () => t.source },
    { key: 'customer_id', value: () => customer.id },
    { key: 'message', value: () => message },
  ], null);
}

interface BodyFlags {
  file?: string;
  body?: string;
}

/** The text given by --file or --body, else on standard input when it is not a terminal; null when neither. */
async function givenBody(ctx: Context, o: BodyFlags): Promise<string | null> {
  if (o.file !== undefined && o.body !== undefined) throw badInput('err.template.twoSources');
  if (o.file !== undefined) return readTemplateFile(o.file);
  if (o.body !== undefined) return o.body;
  if (ctx.io.stdin.isTTY) return null;
  const text = await readAll(ctx.io.stdin);
  return text.trim() === '' ? null : text;
}

/** Checks a text in a language against the shop's variables (its custom fields too); throws with line and column. */
async function check(ctx: Context, body: string, lang: Lang): Promise<void> {
  checkTemplate(body, { ...(await templateOptions(ctx, lang)), fieldKeys: customFieldKeys(await ctx.db(), {}) });
}

async function save(ctx: Context, name: string, lang: Lang, body: string): Promise<void> {
  const db = await ctx.db();
  transaction(db, () => putTemplate(db, { name, lang, body }, ctx.nowIso()));
  ctx.out(ctx.t('template.saved', { name, lang }));
}

async function create(ctx: Context, cmd: Command, raw: string, o: BodyFlags): Promise<void> {
  const name = parseTemplateName(raw);
  const { lang } = await langOf(ctx, cmd);
  if (getTemplate(await ctx.db(), name, lang)) throw badInput('err.template.exists', { name, lang }, { id: 'hint.template.exists', params: { name } });
  const body = await givenBody(ctx, o);
  if (body === null) throw badInput('err.template.noBody');
  await check(ctx, body, lang);
  await save(ctx, name, lang, body);
}

async function edit(ctx: Context, cmd: Command, raw: string, o: BodyFlags): Promise<void> {
  const name = parseTemplateName(raw);
  const { lang } = await langOf(ctx, cmd);
  const current = (await loadTemplates(ctx)).text(name, lang);
  if (!current) throw notFound(`${name} (${lang})`);
  let body = o.file === undefined && o.body === undefined && ctx.interactive ? null : await givenBody(ctx, o);
  if (body === null) {
    if (!ctx.interactive) throw badInput('err.template.noBody');
    const options = { ...(await templateOptions(ctx, lang)), fieldKeys: customFieldKeys(await ctx.db(), {}) };
    body = editText(ctx.env, `${name}.${lang}.liquid`, current.body, (edited) => {
      checkTemplate(edited, options);
      return edited;
    });
  } else {
    await check(ctx, body, lang);
  }
  if (body === current.body) return ctx.out(ctx.t('template.unchanged', { name, lang }));
  await save(ctx, name, lang, body);
}

async function remove(ctx: Context, cmd: Command, raw: string): Promise<void> {
  const name = parseTemplateName(raw);
  const { lang, asked } = await langOf(ctx, cmd);
  const db = await ctx.db();
  // Without --lang: the user's text of this name in every language they wrote.
  const langs = asked ? [lang] : listTemplates(db).filter((t) => t.name === name).map((t) => t.lang);
  const lib = await loadTemplates(ctx);
  if (langs.length === 0 || (asked && !getTemplate(db, name, lang))) {
    const builtin = (['en', 'zh'] as const).find((l) => lib.isBuiltin(name, asked ? lang : l));
    if (builtin) throw badInput('err.template.builtinRm', { name, lang: builtin }, { id: 'hint.template.builtinRm', params: { name } });
    throw asked ? failure('err.template.notFoundLang', { name, lang }, { id: 'hint.template.list' }) : notFound(name);
  }
  transaction(db, () => langs.forEach((l) => deleteTemplate(db, name, l)));
  for (const l of langs) {
    ctx.out(ctx.t('template.removed', { name, lang: l }));
    if (lib.isBuiltin(name, l)) ctx.err(ctx.t('template.builtinAgain', { name, lang: l }));
  }
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm template list', 'crm template render birthday 13800138000');

  const listCmd = addFormatOption(cmd.command('list').description(ctx.t('cmd.template.list')), ctx).action((o) => list(ctx, o));
  example(listCmd, ctx, 'crm template list', 'crm template list --format json');

  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.template.show')).argument('<name>', ctx.t('arg.templateName')), ctx, ONE).action(
    (name: string, o, c: Command) => show(ctx, c, name, o),
  );
  example(showCmd, ctx, 'crm template show birthday', 'crm template show birthday@钻石 --lang zh');

  const renderCmd = addFormatOption(
    cmd.command('render').description(ctx.t('cmd.template.render')).argument('<name>', ctx.t('arg.templateName')).argument('<ref>', ctx.t('arg.ref')),
    ctx,
    ONE,
  ).action((name: string, ref: string, o, c: Command) => render(ctx, c, name, ref, o));
  example(renderCmd, ctx, 'crm template render birthday 张伟', 'crm template render winback 13800138000 --lang en');

  const body = (c: Command) => c.option('--file <path>', ctx.t('opt.templateFile')).option('--body <text>', ctx.t('opt.templateBody'));
  const newCmd = body(cmd.command('new').description(ctx.t('cmd.template.new')).argument('<name>', ctx.t('arg.templateName'))).action(
    (name: string, o: BodyFlags, c: Command) => create(ctx, c, name, o),
  );
  example(newCmd, ctx, 'crm template new birthday --file birthday.liquid', "crm template new birthday@金卡 --body '{{ customer.polite }}，生日快乐！——{{ shop.signature }}'", 'cat thanks.liquid | crm template new thanks --lang en');

  const editCmd = body(cmd.command('edit').description(ctx.t('cmd.template.edit')).argument('<name>', ctx.t('arg.templateName'))).action(
    (name: string, o: BodyFlags, c: Command) => edit(ctx, c, name, o),
  );
  example(editCmd, ctx, 'crm template edit birthday', 'crm template edit winback --lang en --file winback.en.liquid');

  const rmCmd = cmd
    .command('rm')
    .description(ctx.t('cmd.template.rm'))
    .argument('<name>', ctx.t('arg.templateName'))
    .action((name: string, _o, c: Command) => remove(ctx, c, name));
  example(rmCmd, ctx, 'crm template rm birthday', 'crm template rm birthday --lang en');
  readOnly(listCmd, showCmd, renderCmd);
}
