// Builds the commander program and runs it. Command groups register cheaply by name and summary;
// only the group being run is imported (with its heavy dependencies), so `crm --help` starts fast.
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { Context, type Env, type Io } from './context.js';
import { CrmError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, systemError } from './errors.js';
import { detectLang, translate, type Lang, type MessageId, type Params } from './messages/index.js';
import { removeOwnLeftovers } from './io/files.js';
import { displayWidth, escapeControls } from './io/width.js';

interface CommandModule {
  register(cmd: Command, ctx: Context): void;
}

interface Group {
  name: string;
  summary: MessageId;
  load: () => Promise<CommandModule>;
}

export const GROUPS: Group[] = [
  { name: 'customer', summary: 'cmd.customer', load: () => import('./commands/customer.js') },
  { name: 'find', summary: 'cmd.find', load: () => import('./commands/find.js') },
  { name: 'tag', summary: 'cmd.tag', load: () => import('./commands/tag.js') },
  { name: 'order', summary: 'cmd.order', load: () => import('./commands/order.js') },
  { name: 'log', summary: 'cmd.log', load: () => import('./commands/log.js') },
  { name: 'coupon', summary: 'cmd.coupon', load: () => import('./commands/coupon.js') },
  { name: 'config', summary: 'cmd.config', load: () => import('./commands/config.js') },
  { name: 'import', summary: 'cmd.import', load: () => import('./commands/import.js') },
  { name: 'export', summary: 'cmd.export', load: () => import('./commands/export.js') },
  { name: 'backup', summary: 'cmd.backup', load: () => import('./commands/backup.js') },
  { name: 'restore', summary: 'cmd.restore', load: async () => ({ register: (await import('./commands/backup.js')).registerRestore }) },
  { name: 'rfm', summary: 'cmd.rfm', load: () => import('./commands/rfm.js') },
  { name: 'tier', summary: 'cmd.tier', load: () => import('./commands/tier.js') },
  { name: 'stats', summary: 'cmd.stats', load: () => import('./commands/stats.js') },
  { name: 'clv', summary: 'cmd.clv', load: () => import('./commands/clv.js') },
  { name: 'template', summary: 'cmd.template', load: () => import('./commands/template.js') },
  { name: 'dedupe', summary: 'cmd.dedupe', load: () => import('./commands/dedupe.js') },
  { name: 'merge', summary: 'cmd.merge', load: () => import('./commands/merge.js') },
  { name: 'complaint', summary: 'cmd.complaint', load: () => import('./commands/complaint.js') },
  { name: 'remind', summary: 'cmd.remind', load: () => import('./commands/remind.js') },
  { name: 'holidays', summary: 'cmd.holidays', load: () => import('./commands/holidays.js') },
  { name: 'survey', summary: 'cmd.survey', load: () => import('./commands/survey.js') },
  { name: 'demo', summary: 'cmd.demo', load: () => import('./commands/demo.js') },
  { name: 'db', summary: 'cmd.db', load: () => import('./commands/db.js') },
];

const VALUE_OPTIONS = new Set(['--db', '--lang']);

/** The words of a command line that are neither options nor the values of crm's own options. */
function words(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return [...out, ...argv.slice(i + 1)];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) out.push(a);
  }
  return out;
}

/** The group a command line runs (`crm --db x customer list` -> customer), without parsing it fully. */
function targetGroup(argv: string[]): string | undefined {
  const [first, second] = words(argv);
  return first === 'help' ? second : first;
}

function flagValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name) return argv[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

const HELP_TITLES: Record<string, MessageId> = {
  'Usage:': 'help.usage',
  'Options:': 'help.options',
  'Commands:': 'help.commands',
  'Arguments:': 'help.arguments',
  'Global Options:': 'help.globalOptions',
};

function version(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** The whole program; `loadAll` registers every group (for tests that walk the command tree). */
export async function buildProgram(ctx: Context, argv: string[], loadAll = false): Promise<Command> {
  const program = new Command('crm')
    .description(ctx.t('cmd.crm'))
    .version(version(), '-V, --version', ctx.t('opt.version'))
    .helpOption('-h, --help', ctx.t('opt.help'))
    .helpCommand('help [command]', ctx.t('opt.help'))
    .option('--db <path>', ctx.t('opt.db'))
    .option('--lang <lang>', ctx.t('opt.lang'))
    .option('--debug', ctx.t('opt.debug'))
    .exitOverride()
    .configureHelp({
      styleTitle: (title) => (HELP_TITLES[title] ? ctx.t(HELP_TITLES[title]) : title),
      // Chinese help text: commander counts one column per character, a terminal shows two.
      displayWidth,
    })
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: () => {},
    })
    .hook('preAction', async (_program, action) => {
      ctx.command = action;
      ctx.setDbOption(action.optsWithGlobals().db as string | undefined);
      await ctx.prepareClock();
    })
    .addHelpText('after', `\n${ctx.t('help.examples')}\n  $ crm demo\n  $ crm find 张伟\n  $ crm customer show 13800138000\n\n${ctx.t('help.more')}\n`);
  const target = targetGroup(argv);
  for (const g of GROUPS) {
    const cmd = program.command(g.name).description(ctx.t(g.summary)).helpOption('-h, --help', ctx.t('opt.help'));
    if (loadAll || g.name === target) {
      cmd.helpCommand(false);
      (await g.load()).register(cmd, ctx);
    }
  }
  return program;
}

// commander's own usage errors, said again from the catalog (so in the user's language).
const USAGE_ERRORS: Record<string, MessageId> = {
  'commander.unknownOption': 'usage.unknownOption',
  'commander.unknownCommand': 'usage.unknownCommand',
  'commander.missingArgument': 'usage.missingArgument',
  'commander.optionMissingArgument': 'usage.optionMissingArgument',
  'commander.missingMandatoryOptionValue': 'usage.optionMissingArgument',
  'commander.excessArguments': 'usage.excessArguments',
};

function describeCommanderError(ctx: Context, e: CommanderError): string {
  const id = USAGE_ERRORS[e.code];
  const what = /'([^']+)'/.exec(e.message)?.[1];
  if (!id || what === undefined) return ctx.t('err.usage', { detail: e.message.replace(/^error: /, '') });
  const suggestion = /Did you mean (.+?)\?/.exec(e.message)?.[1];
  return ctx.t(id, { what }) + (suggestion ? ctx.t('usage.didYouMean', { what: suggestion }) : '');
}

/** The command a command line names, as far as it names one (`crm customer list`), for the help hint. */
function commandPath(program: Command, argv: string[]): string {
  const names = ['crm'];
  let cmd = program;
  for (const word of words(argv)) {
    const sub = cmd.commands.find((c) => c.name() === word);
    if (!sub) break;
    names.push(word);
    cmd = sub;
  }
  return names.join(' ');
}

/** The longest value (what was typed: `value`, `ref`) an error line quotes whole: a 100,000-character name is named by its start. */
const QUOTED_MOST = 200;
const TYPED = new Set(['value', 'ref']);

/** An error's values as its one line quotes them: control characters and line breaks written out (\e, \n), a long typed value cut. */
function oneLine(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string') out[k] = v;
    else {
      const cut = TYPED.has(k) && v.length > QUOTED_MOST ? `${[...v.slice(0, QUOTED_MOST)].slice(0, QUOTED_MOST - 1).join('')}…` : v;
      out[k] = escapeControls(cut);
    }
  }
  return out;
}

/** A CrmError as the user reads it: `crm: ` and its line, then its hint's line if it has one. */
function errorLines(lang: Lang, e: CrmError): string {
  const line = `crm: ${translate(lang, e.id, oneLine(e.params))}\n`;
  return e.hint ? `${line}${translate(lang, e.hint.id, oneLine(e.hint.params ?? {}))}\n` : line;
}

/** The file an operating-system error is about (Node names it), the database for SQLite's, else null. */
function pathOf(e: unknown, ctx: Context): string | null {
  const named = (e as NodeJS.ErrnoException | null)?.path;
  if (typeof named === 'string') return named;
  return String((e as { code?: unknown } | null)?.code).startsWith('SQLITE_') ? ctx.dbPath : null;
}

/** An error crm has a line for: its own, or an operating-system or SQLite error about a file it can name. */
function knownError(e: unknown, ctx: Context): CrmError | null {
  if (e instanceof CrmError) return e;
  const file = pathOf(e, ctx);
  return file === null ? null : systemError(e, file);
}

/** Runs crm with these arguments and streams; returns the exit code. */
export async function run(argv: string[], io: Io, env: Env): Promise<number> {
  const debug = argv.includes('--debug');
  let ctx: Context;
  try {
    ctx = new Context(io, env, detectLang(flagValue(argv, '--lang'), env));
  } catch (e) {
    io.stderr.write(`crm: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  ctx.debug = debug;
  // With --debug a read shared by two threads says so (loaded only then: start-up stays lean).
  const splits = debug ? await import('./store/split-read.js') : null;
  splits?.sayWhenSplit((line) => ctx.err(line));
  let program: Command | undefined;
  try {
    program = await buildProgram(ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT_OK;
      if (e.code === 'commander.help' || e.code === 'commander.helpDisplayed') return EXIT_USAGE;
      ctx.err(`crm: ${describeCommanderError(ctx, e)}`);
      ctx.err(ctx.t('hint.help', { command: program ? commandPath(program, argv) : 'crm' }));
      return EXIT_USAGE;
    }
    const known = knownError(e, ctx);
    if (known) {
      ctx.err(errorLines(ctx.lang, known));
      if (debug && e instanceof Error && e.stack) ctx.err(e.stack);
      return known.exitCode;
    }
    if (e instanceof Error && e.name === 'ExitPromptError') {
      ctx.err(ctx.t('msg.cancelled'));
      return EXIT_INTERRUPTED;
    }
    ctx.err(`crm: ${ctx.t('err.unexpected', { message: e instanceof Error ? e.message : String(e) })}`);
    if (debug && e instanceof Error && e.stack) ctx.err(e.stack);
    else ctx.err(ctx.t('hint.debug'));
    return EXIT_FAILURE;
  } finally {
    splits?.sayWhenSplit(null);
    ctx.close();
  }
}

/** The language of a line said before or outside a command (the standard output failed): --lang, else the environment's. */
function langOf(argv: string[]): Lang {
  try {
    return detectLang(flagValue(argv, '--lang'), process.env);
  } catch {
    return 'en';
  }
}

/**
 * Runs crm as a process. Standard output that fails ends it: a closed pipe (`crm customer list |
 * head`) quietly, as a normal end (exit 0); a full disk or any other error with one line (exit 1).
 * A signal (Ctrl-C, kill) removes the temporary files under way first; the write transaction
 * under way is rolled back by SQLite.
 */
export async function main(argv: string[]): Promise<number> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
    const lang = langOf(argv);
    const known = systemError(e, translate(lang, 'word.stdout'));
    process.stderr.write(known ? errorLines(lang, known) : `crm: ${translate(lang, 'err.unexpected', { message: e.message })}\n`);
    process.exit(EXIT_FAILURE);
  });
  process.stderr.on('error', () => {}); // nowhere left to say anything
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      removeOwnLeftovers();
      process.exit(code);
    });
  }
  return run(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, process.env);
}
