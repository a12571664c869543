// The PostgreSQL server the PostgreSQL tests use: vitest's global set-up starts a private one in a
// temporary folder (initdb, then the server on 127.0.0.1 and a free port), and stops and removes
// it after the run. The tests get a superuser's URL from it (inject('pg'), tests/helpers/pg.ts; each
// test file makes its own database). CRM_TEST_PG set beforehand is used as it is, and nothing is started.
//
// The server's programs come from the machine's PostgreSQL (Debian: apt-get install postgresql,
// which .ci/run does); a missing one fails the run with that advice rather than skipping tests.
// As root (CI containers) the server runs as the postgres user the package creates: PostgreSQL
// refuses to run as root. The cluster trusts connections from 127.0.0.1: it lives for one run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function binDir(): string {
  const fromConfig = (() => {
    try {
      return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })();
  const candidates = [
    ...(fromConfig ? [fromConfig] : []),
    ...(fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`) : []),
  ];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
  if (!found) throw new Error('the PostgreSQL tests need PostgreSQL\'s server programs (initdb, pg_ctl): apt-get install postgresql (Debian), or set CRM_TEST_PG to a superuser\'s URL');
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL superuser's URL (tests/helpers/pg.ts). */
    pg: string;
  }
}

export default async function setup({ provide }: { provide: (key: 'pg', value: string) => void }): Promise<(() => void) | undefined> {
  if (process.env.CRM_TEST_PG) {
    provide('pg', process.env.CRM_TEST_PG);
    return undefined;
  }
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  // As root, each program runs as the postgres user (runuser keeps the environment's PATH out).
  const run = (program: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args];
    return execFileSync(cmd, argv as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  // A server left by a run that died before its teardown (its vitest gone) is stopped and removed.
  for (const old of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('crm-pg-'))) {
    const at = path.join(os.tmpdir(), old);
    const ownerFile = path.join(at, 'owner');
    if (!fs.existsSync(ownerFile)) continue;
    const owner = Number(fs.readFileSync(ownerFile, 'utf8'));
    if (!Number.isInteger(owner) || alive(owner)) continue;
    try {
      if (fs.existsSync(path.join(at, 'data', 'postmaster.pid'))) run('pg_ctl', ['-D', path.join(at, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not running: only its files are left.
    }
    fs.rmSync(at, { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-pg-'));
  fs.writeFileSync(path.join(dir, 'owner'), String(process.pid));
  const data = path.join(dir, 'data');
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  run('initdb', ['-D', data, '-U', 'crm_test', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // fsync off: the cluster lives for one run (its files are thrown away after).
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`, 'start']);
  provide('pg', `postgres://crm_test@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

