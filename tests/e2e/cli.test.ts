// The program as a whole: help, languages, exit codes, the database file, the clock.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GROUPS } from '../../src/cli.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { crm, crmJson, tempDb, tempDir } from '../helpers/crm.js';

describe('help', () => {
  it('lists every command with a one-line summary and examples', () => {
    const r = crm(['--help']);
    expect(r.code).toBe(0);
    for (const g of GROUPS) expect(r.stdout).toMatch(new RegExp(`\\n  ${g.name}\\s+\\S`));
    expect(r.stdout).toContain('Examples:');
  });

  it('shows options and examples for a command, in Chinese with --lang zh', () => {
    const r = crm(['customer', 'add', '--help']);
    expect(r.stdout).toContain('--phone <phone>');
    expect(r.stdout).toContain('$ crm customer add --name 张伟');
    const zh = crm(['--lang', 'zh', 'order', 'add', '--help']);
    expect(zh.stdout).toContain('为客户记录一笔订单');
    expect(zh.stdout).toContain('示例：');
  });
});

describe('errors and exit codes', () => {
  it('exits 2 on bad usage with one line and a hint, no stack trace', () => {
    for (const args of [['nope'], ['customer', 'list', '--bogus'], ['order', 'add'], ['customer']]) {
      const r = crm(args, { db: tempDb() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(crm(['nope']).stderr).toBe("crm: unknown command 'nope'\nsee 'crm --help'\n");
  });

  it('speaks Chinese from LANG or --lang', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟'], { db });
    const fromEnv = crm(['customer', 'show', '李雷'], { db, env: { LANG: 'zh_CN.UTF-8' } });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('没有与 "李雷" 匹配的客户');
    expect(crm(['--lang', 'zh', 'customer', 'add'], { db }).stderr).toContain('客户必须有姓名');
    expect(crm(['--lang', 'fr', 'customer', 'list'], { db }).code).toBe(2);
  });

  it('shows a stack trace only with --debug', () => {
    const db = tempDb();
    expect(crm(['--debug', 'customer', 'show', 'nobody'], { db }).stderr).toMatch(/\n\s+at /);
  });
});

describe('the database file', () => {
  it('uses --db over CRM_DB', () => {
    const a = tempDb();
    const b = tempDb();
    crm(['--db', a, 'customer', 'add', '--name', 'A']);
    crm(['--db', b, 'customer', 'add', '--name', 'B'], { db: a });
    const names = (args: string[], db: string) => crmJson<{ name: string }[]>(['customer', 'list', ...args], { db }).map((c) => c.name);
    expect(names([], a)).toEqual(['A']);
    expect(names([], b)).toEqual(['B']);
    expect(names(['--db', b], a)).toEqual(['B']);
  });

  it('refuses a read-only command on a path with no database and creates nothing; a write creates it owner-only', () => {
    const dir = tempDir();
    const typo = path.join(dir, 'db', 'dmeo.db');
    for (const how of [{ args: ['--db', typo] }, { env: { CRM_DB: typo } }]) {
      for (const args of [['customer', 'list'], ['export', 'customers'], ['stats'], ['find', '张']]) {
        const r = crm([...(how.args ?? []), ...args], { env: how.env });
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toBe(`crm: no crm database at ${typo}\n`);
        expect(r.stdout).toBe('');
      }
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(crm(['--db', typo, 'customer', 'add', '--name', 'A']).code).toBe(0);
    expect(fs.statSync(typo).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(typo)).mode & 0o777).toBe(0o700);
    const viaEnv = path.join(dir, 'env', 'shop.db');
    expect(crm(['config', 'set', 'shop_name', '小店'], { env: { CRM_DB: viaEnv } }).code).toBe(0);
    expect(fs.statSync(viaEnv).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(viaEnv)).mode & 0o777).toBe(0o700);
  });

  it('creates the per-user default database readable by the owner only', () => {
    const home = tempDir();
    crm(['customer', 'add', '--name', 'A'], { env: { HOME: home, XDG_DATA_HOME: undefined, CRM_DB: undefined } });
    const file = path.join(home, '.local', 'share', 'crm', 'crm.db');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('is a WAL database with its schema version recorded', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db });
    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    raw.close();
  });

  it('refuses a database written by a newer crm and leaves it untouched', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db });
    const raw = new Database(db);
    raw.pragma('user_version = 99');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = fs.readFileSync(db);
    const r = crm(['customer', 'list'], { db });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`was written by a newer crm (schema 99; this crm knows up to ${MIGRATIONS.length})`);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  it('refuses a SQLite file that is not a crm database', () => {
    const db = tempDb();
    const raw = new Database(db);
    raw.exec('CREATE TABLE mine (x)');
    raw.close();
    const r = crm(['customer', 'list'], { db });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a crm database');
  });
});

describe('the clock and the settings', () => {
  it('takes the current time from CRM_NOW and refuses a bad one', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db, env: { CRM_NOW: '2025-01-02T03:04:05Z' } });
    expect(crmJson<{ created_at: string }[]>(['customer', 'list'], { db })[0]!.created_at).toBe('2025-01-02T11:04:05+08:00');
    const bad = crm(['customer', 'add', '--name', 'B'], { db, env: { CRM_NOW: 'yesterday' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CRM_NOW "yesterday" is not an ISO 8601 time');
  });

  it('keeps shop settings in the database and validates them', () => {
    const db = tempDb();
    expect(crm(['config', 'set', 'shop_name', '小王水果店'], { db }).code).toBe(0);
    expect(crm(['config', 'set', 'timezone', 'America/New_York'], { db }).code).toBe(0);
    expect(crm(['config', 'get', 'shop_name'], { db }).stdout).toBe('小王水果店\n');
    const list = crmJson<{ key: string; value: string; source: string }[]>(['config', 'list'], { db });
    expect(list.map((s) => [s.key, s.value, s.source])).toEqual([
      ['shop_name', '小王水果店', 'set'],
      ['signature', '', 'default'],
      ['timezone', 'America/New_York', 'set'],
      ['currency', 'CNY', 'default'],
      ['language', 'en', 'default'],
      ['country', 'CN', 'default'],
      ['stage_new_days', '90', 'default'],
      ['stage_churn_days', '365', 'default'],
      ['stage_at_risk_factor', '2', 'default'],
      ['stage_won_back_days', '90', 'default'],
      ['clv_top_share', '20', 'default'],
      ['clv_growth_factor', '2', 'default'],
      ['clv_yearly_cost', '0', 'default'],
      ['shop_phone', '', 'default'],
      ['quiet_hours', '21:00-09:00', 'default'],
      ['remind_catch_up', '3d', 'default'],
      ['remind_retries', '5', 'default'],
      ['outbox_dir', '', 'default'],
      ['webhook_url', '', 'default'],
      ['webhook_kind', 'json', 'default'],
      ['webhook_secret_env', 'CRM_WEBHOOK_SECRET', 'default'],
      ['webhook_key_env', 'CRM_WEBHOOK_KEY', 'default'],
      ['webhook_timeout', '10', 'default'],
      ['smtp_host', '', 'default'],
      ['smtp_port', '587', 'default'],
      ['smtp_security', 'starttls', 'default'],
      ['smtp_user', '', 'default'],
      ['smtp_from', '', 'default'],
      ['smtp_password_env', 'CRM_SMTP_PASSWORD', 'default'],
      ['sla_hours', 'all', 'default'],
      ['business_hours', 'mon-sun 09:00-21:00', 'default'],
      ['complaint_categories', 'product_quality,delivery,service_attitude,price,other', 'default'],
      ['followup_days', '3', 'default'],
      ['followup_channel', 'stdout', 'default'],
      ['escalation_channel', 'stdout', 'default'],
      ['second_line', 'shop manager', 'default'],
      ['owner_name', 'owner', 'default'],
      ['backup_keep', '0', 'default'],
      ['backup_dir', '', 'default'],
      ['durability', 'normal', 'default'],
    ]);
    for (const [k, v] of [
      ['timezone', 'Mars/Olympus'],
      ['currency', 'XYZ'],
      ['language', 'fr'],
      ['country', 'ZZ'],
      ['colour', 'red'],
      ['stage_new_days', '0'],
      ['stage_at_risk_factor', '0.5'],
      ['clv_top_share', '0'],
      ['clv_yearly_cost', '-5'],
      ['quiet_hours', '9pm-9am'],
      ['remind_catch_up', '2m'],
      ['remind_catch_up', '2y'],
      ['webhook_url', 'ftp://robot'],
      ['webhook_url', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6'],
      ['webhook_kind', 'slack'],
      ['smtp_password_env', 'my password'],
      ['smtp_port', '70000'],
    ]) {
      const r = crm(['config', 'set', k!, v!], { db });
      expect(r.code, `${k}=${v}`).toBe(2);
    }
    expect(crm(['config', 'set', 'quiet_hours', '22:30 - 8:00'], { db }).code).toBe(0);
    expect(crm(['config', 'get', 'quiet_hours'], { db }).stdout).toBe('22:30-08:00\n');
    expect(crm(['config', 'set', 'quiet_hours', 'off'], { db }).stdout).toContain('off');
    // The shop's zone decides which day an order falls on.
    crm(['customer', 'add', '--name', 'A'], { db });
    crm(['order', 'add', 'A', '--amount', '1', '--date', '2026-03-01 20:00'], { db });
    expect(crmJson<{ day: string; ordered_at: string }[]>(['order', 'list'], { db })[0]).toMatchObject({ day: '2026-03-01', ordered_at: '2026-03-01T20:00:00-05:00' });
    expect(crm(['config', 'unset', 'timezone'], { db }).code).toBe(0);
    expect(crm(['config', 'get', 'timezone'], { db }).stdout).toBe('Asia/Shanghai\n');
  });
});
