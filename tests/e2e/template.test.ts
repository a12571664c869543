// crm template: the built-ins listed and previewed for a real customer in both languages, a
// template of one's own refused with the line and column of its mistake, an override removed to
// bring the built-in back, the variant of a customer's tier chosen for them, and editing in $EDITOR.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as runCrm } from '../../src/cli.js';
import { crm, crmJson, NOW, tempDb, tempDir } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';
import { tty } from '../helpers/tty.js';

interface Entry {
  name: string;
  languages: string[];
  source: string;
}
interface Preview {
  template: string;
  lang: string;
  source: string;
  customer_id: number;
  message: string;
}

let db: string;
const run = (args: string[], input?: string) => crm(args, { db, input });
const ok = (args: string[], input?: string) => {
  const r = run(args, input);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const names = () => crmJson<Entry[]>(['template', 'list'], { db });

/**
 * A Chinese shop: 张伟 (a man, ¥128.50 on 2026-11-01, a member number), 欧阳娜娜 (a woman at the top
 * tier). Set up in this process (what the tests check runs the built binary).
 */
beforeAll(async () => {
  db = tempDb();
  for (const args of [
    ['config', 'set', 'language', 'zh'],
    ['config', 'set', 'shop_name', '小王水果店'],
    ['config', 'set', 'signature', '小王水果店 王芳'],
    ['customer', 'add', '--name', '张伟', '--gender', 'm', '--phone', '13800138000', '--field', '会员号=A17'],
    ['customer', 'add', '--name', '欧阳娜娜', '--gender', 'f', '--phone', '13900139000'],
    ['order', 'add', '张伟', '--amount', '128.50', '--date', '2026-11-01'],
    ['order', 'add', '欧阳娜娜', '--amount', '25000', '--date', '2026-10-01'],
    ['tier', 'set', '普通=0', '银卡=1000', '金卡=5000', '钻石=20000'],
    ['tier', 'apply'],
  ]) await setUp(args, { db });
});

describe('crm template', () => {
  it('lists the built-ins with their languages, the tier variants among them', () => {
    const list = names();
    expect(list.find((e) => e.name === 'birthday')).toEqual({ name: 'birthday', languages: ['en', 'zh'], source: 'builtin' });
    expect(list.find((e) => e.name === 'birthday@钻石')).toMatchObject({ languages: ['zh'], source: 'builtin' });
    for (const name of ['welcome', 'callback', 'spring_festival', 'mid_autumn', 'winback', 'survey']) expect(list.map((e) => e.name)).toContain(name);
    const table = ok(['template', 'list']);
    expect(table.stdout).toContain('built-in');
  });

  it('previews a template for a real customer in the shop’s language and in English, sending nothing', () => {
    const zh = ok(['template', 'render', 'birthday', '张伟']);
    expect(zh.stdout.trim()).toBe('张先生，祝您生日快乐！愿新的一岁平安顺遂、笑口常开。小王水果店全体同仁为您送上祝福。——小王水果店 王芳');
    expect(zh.stderr).toContain('nothing was sent');
    const en = ok(['template', 'render', 'birthday', '13800138000', '--lang', 'en']);
    expect(en.stdout.trim()).toBe('Happy birthday, Mr Zhang! Wishing you a wonderful year ahead, from all of us at 小王水果店. — 小王水果店 王芳');
    // The staff's call-back script reads the customer's last order.
    const script = crmJson<Preview>(['template', 'render', 'callback', '张伟'], { db });
    expect(script.message).toContain('11月1日买的（¥128.50）');
    expect(script.message).toContain('+8613800138000');
  });

  it('refuses a template with a mistake, naming its line and column, and saves nothing', () => {
    const bad = run(['template', 'new', 'thanks', '--body', '谢谢惠顾！\n{{ customer.polite }}，{{ customer.nmae }}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('crm: line 2, column 26: undefined variable: customer.nmae');
    const syntax = run(['template', 'new', 'thanks'], '{% if coupon %}\n{{ coupon.code }}');
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/line 1, column 1: tag \{% if coupon %\} not closed/);
    const file = run(['template', 'new', 'thanks', '--body', "{% include '/etc/passwd' %}"]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('include is not allowed');
    expect(names().map((e) => e.name)).not.toContain('thanks');
    // The shop's custom fields are known; a good one is saved and rendered.
    ok(['template', 'new', 'thanks', '--body', '{{ customer.polite }}，您的会员号是 {{ customer.fields.会员号 }}。']);
    expect(ok(['template', 'render', 'thanks', '张伟']).stdout.trim()).toBe('张先生，您的会员号是 A17。');
    expect(ok(['template', 'render', 'thanks', '欧阳娜娜']).stdout.trim()).toBe('欧阳女士，您的会员号是 。');
    expect(run(['template', 'new', 'thanks', '--body', 'x']).code).toBe(2);
  });

  it('uses an override before the built-in, and rm brings the built-in back; a built-in cannot be removed', () => {
    ok(['template', 'new', 'welcome'], '欢迎{{ customer.polite }}！——{{ shop.name }}\n');
    expect(names().find((e) => e.name === 'welcome')?.source).toBe('overridden');
    expect(ok(['template', 'render', 'welcome', '张伟']).stdout.trim()).toBe('欢迎张先生！——小王水果店');
    expect(ok(['template', 'show', 'welcome']).stdout.trim()).toBe('欢迎{{ customer.polite }}！——{{ shop.name }}');
    const rm = ok(['template', 'rm', 'welcome']);
    expect(rm.stderr).toContain('The built-in welcome (zh) is used again');
    expect(names().find((e) => e.name === 'welcome')?.source).toBe('builtin');
    expect(ok(['template', 'render', 'welcome', '张伟']).stdout).toContain('欢迎成为小王水果店的会员');
    const refused = run(['template', 'rm', 'welcome']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is a built-in template and cannot be removed');
    expect(refused.stderr).toContain('Only your own templates and overrides can be removed');
  });

  it('chooses the variant of the customer’s tier', () => {
    const top = crmJson<Preview>(['template', 'render', 'birthday', '欧阳娜娜'], { db });
    expect(top.template).toBe('birthday@钻石');
    expect(top.message).toMatch(/^尊敬的欧阳女士，祝您生日快乐！/);
    expect(crmJson<Preview>(['template', 'render', 'birthday', '张伟'], { db }).template).toBe('birthday');
    // In English, the variant named after the default level in English is the one.
    const en = crmJson<Preview>(['template', 'render', 'birthday', '欧阳娜娜', '--lang', 'en'], { db });
    expect(en.template).toBe('birthday@Diamond');
    expect(en.message).toContain('Ms Ouyang');
  });
});

describe('crm template edit at a terminal', () => {
  /** Runs `crm template edit` at a fake terminal with an "editor" that writes this text into the file it is given. */
  async function editWith(text: string, name = 'survey') {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'new.liquid'), text);
    const editor = path.join(dir, 'editor.sh');
    fs.writeFileSync(editor, `#!/bin/sh\ngrep -q '打个分' "$1" || exit 3\ncat '${path.join(dir, 'new.liquid')}' > "$1"\n`, { mode: 0o755 });
    const [stdin, stdout, stderr] = [tty(), tty(), tty()];
    let err = '';
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await runCrm(['template', 'edit', name], { stdin, stdout, stderr }, { CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8', EDITOR: editor, VISUAL: '' });
    return { code, err };
  }

  it('opens the editor on the current text and saves what passes the check', async () => {
    const bad = await editWith('{{ customer.polite }}，{{ shop.nam }}');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('line 1, column 26: undefined variable: shop.nam');
    // Nothing saved, and the edit kept where the hint says.
    expect(names().find((e) => e.name === 'survey')?.source).toBe('builtin');
    const kept = /kept in (\S+):/.exec(bad.err)?.[1];
    expect(kept && fs.readFileSync(kept, 'utf8')).toBe('{{ customer.polite }}，{{ shop.nam }}');
    const good = await editWith('{{ customer.polite }}，请为我们打分（1-5）。——{{ shop.signature }}');
    expect(good.code, good.err).toBe(0);
    expect(names().find((e) => e.name === 'survey')?.source).toBe('overridden');
    expect(ok(['template', 'render', 'survey', '张伟']).stdout.trim()).toBe('张先生，请为我们打分（1-5）。——小王水果店 王芳');
  });
});
