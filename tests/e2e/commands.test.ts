// Walks the whole command tree: every command has a description and at least one example, and every
// command that prints data takes --format with the formats it honours. Also reads the imports of
// src/commands: no command imports another (docs/architecture.md).
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { examplesOf } from '../../src/commands/common.js';
import { Context } from '../../src/context.js';
import { formatsOf } from '../../src/io/output.js';
import { ROOT } from '../helpers/crm.js';

function walk(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(walk)];
}

const fullName = (cmd: Command): string => (cmd.parent ? `${fullName(cmd.parent)} ${cmd.name()}` : cmd.name());

/** Commands that change something and say so in a line, printing no data (so no --format). */
const NO_DATA = new Set([
  'crm tag add',
  'crm tag rm',
  'crm customer edit',
  'crm customer rm',
  'crm order add',
  'crm order rm',
  'crm log add',
  'crm log rm',
  'crm config set',
  'crm config unset',
  'crm tier set',
  'crm merge',
  'crm dedupe undo',
  'crm import undo',
  'crm dedupe distinct',
  'crm demo',
  'crm db',
  'crm db init',
  'crm template new',
  'crm template edit',
  'crm template rm',
  'crm remind rm',
  'crm complaint ack',
  'crm complaint update',
  'crm complaint wait',
  'crm complaint resolve',
  'crm complaint close',
  'crm complaint reopen',
  'crm complaint escalate',
  'crm complaint followup',
  'crm remind pause',
  'crm remind resume',
  'crm remind run',
  'crm remind cron',
  'crm holidays import',
  'crm survey use',
  'crm survey init',
]);
/** Groups whose bare name lists their subcommands or runs the default one (crm clv = crm clv list; crm log <ref> = crm log add). */
const GROUPS_ONLY = new Set(['crm customer', 'crm tag', 'crm order', 'crm coupon', 'crm config', 'crm import', 'crm export', 'crm tier', 'crm log', 'crm clv', 'crm dedupe', 'crm template', 'crm remind', 'crm complaint', 'crm holidays', 'crm survey']);

async function program(lang: 'en' | 'zh'): Promise<Command> {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  return buildProgram(new Context(io, {}, lang), [], true);
}

describe('the command tree', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`gives every command a description and an example (${lang})`, async () => {
      const commands = walk(await program(lang)).slice(1);
      expect(commands.length).toBeGreaterThan(30);
      for (const cmd of commands) {
        const name = fullName(cmd);
        expect(cmd.description(), name).not.toBe('');
        if (cmd.name() !== 'help') expect(examplesOf(cmd).length, `${name} has no example`).toBeGreaterThan(0);
      }
    });
  }

  it('gives --format to every command that prints data, with table, csv or json among its formats', async () => {
    const missing: string[] = [];
    const needless: string[] = [];
    for (const cmd of walk(await program('en')).slice(1)) {
      const name = fullName(cmd);
      if (cmd.name() === 'help' || GROUPS_ONLY.has(name)) continue;
      const formats = formatsOf(cmd);
      const hasOption = cmd.options.some((o) => o.long === '--format');
      if (NO_DATA.has(name)) {
        if (hasOption) needless.push(name);
        continue;
      }
      if (!formats || !hasOption) missing.push(name);
      else expect(formats.includes('json'), `${name} offers ${formats.join('|')}`).toBe(true);
    }
    expect(missing).toEqual([]);
    expect(needless).toEqual([]);
  });

  it('offers ndjson on the long listings', async () => {
    const all = new Map(walk(await program('en')).map((c) => [fullName(c), c]));
    for (const name of ['crm customer list', 'crm export customers', 'crm dedupe find', 'crm clv list', 'crm rfm', 'crm tier apply']) {
      const cmd = all.get(name);
      expect(cmd, name).toBeDefined();
      expect(formatsOf(cmd!), name).toContain('ndjson');
    }
  });
});

describe('the rooms', () => {
  const dir = path.join(ROOT, 'src', 'commands');
  const imports = (file: string) => [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/from '(\.\/[^']+)'|import\('(\.\/[^']+)'\)/g)].map((m) => m[1] ?? m[2]);

  it('has no command importing another command (only common.ts and columns.ts are shared)', () => {
    const bad: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const spec of imports(file)) if (spec !== './common.js' && spec !== './columns.js') bad.push(`${file} imports ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps SQL in src/store and the core free of I/O', () => {
    const files = (room: string): string[] =>
      fs.readdirSync(path.join(ROOT, 'src', room), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, 'src', room, f));
    const sql = /\bdb\.(?:prepare|exec)\(|\bSELECT\b[^;'`]*\bFROM\s+\w|\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bUPDATE\s+\w+\s+SET\b/;
    for (const room of ['commands', 'app', 'core', 'io']) {
      for (const f of files(room)) expect(sql.test(fs.readFileSync(f, 'utf8')), `${path.relative(ROOT, f)} has SQL`).toBe(false);
    }
    for (const f of files('core')) {
      const text = fs.readFileSync(f, 'utf8');
      expect(/from '(node:)?(fs|child_process|net|http)'|from '(\.\.\/)+(store|io|app|commands)\/|process\.(env|exit|stdout)|console\./.test(text), `${path.relative(ROOT, f)} reaches outside the core`).toBe(false);
    }
  });
});
