// Runs crm's command line in this process (src/cli.ts's run, what bin/crm.js calls), to set up a
// shop: the same commands and code as the built binary, without a process start (~250 ms) each.
// What a test checks it still checks on the built binary (tests/helpers/crm.ts); only the set-up
// before it runs here. The environment is the one crm.ts gives a child process, and the test
// process takes that child's time zone (crm's default zone is the process's), so the shop is the
// one the same commands would make through the binary.
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli.js';
import { crmEnv, type Result } from './crm.js';

process.env.TZ = 'Asia/Shanghai';

export async function crmHere(args: string[], opts: { db?: string; env?: Record<string, string | undefined> } = {}): Promise<Result> {
  const env = crmEnv(opts);
  const [stdin, stdout, stderr] = [new PassThrough(), new PassThrough(), new PassThrough()];
  stdin.end();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const code = await run(args, { stdin, stdout, stderr }, env);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out, stderr: err };
}

/** crmHere that must succeed: a set-up step that fails names itself and its error. */
export async function setUp(args: string[], opts: Parameters<typeof crmHere>[1] = {}): Promise<Result> {
  const r = await crmHere(args, opts);
  if (r.code !== 0) throw new Error(`set-up crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}
