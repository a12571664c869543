// A fake terminal for driving prompts in-process: a stream that says it is a TTY.
import { PassThrough } from 'node:stream';

export type Tty = PassThrough & { isTTY: boolean; columns: number; rows: number; setRawMode: (m: boolean) => Tty };

export function tty(columns = 100): Tty {
  const s = new PassThrough() as Tty;
  s.isTTY = true;
  s.columns = columns;
  s.rows = 40;
  s.setRawMode = () => s;
  // Like process.stderr, a terminal is not closed when a prompt that piped into it ends.
  s.end = (() => s) as unknown as Tty['end'];
  return s;
}
