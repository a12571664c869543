// Walks the whole command tree: every command has a summary and at least one example.
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { examplesOf } from '../../src/commands/common.js';
import { Context } from '../../src/context.js';

function walk(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(walk)];
}

describe('the command tree', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`gives every command a description and an example (${lang})`, async () => {
      const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
      const program = await buildProgram(new Context(io, {}, lang), [], true);
      const commands = walk(program).slice(1);
      expect(commands.length).toBeGreaterThan(15);
      for (const cmd of commands) {
        const name = `${cmd.parent?.name()} ${cmd.name()}`;
        expect(cmd.description(), name).not.toBe('');
        if (cmd.name() !== 'help') expect(examplesOf(cmd).length, `${name} has no example`).toBeGreaterThan(0);
      }
    });
  }
});
