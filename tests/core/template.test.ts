// Greeting templates: rendering in both languages, polite names, the shop's filters, strictness with
// the line and column of a mistake, the limits, and no file access. The calendar is a fake here
// (src/core/calendar.ts is tested on its own). Also the built-in templates, and which template a
// customer is sent (src/app/template.ts templateLibrary, pure).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateLibrary } from '../../src/app/template.js';
import { checkTemplate, makeRenderer, parseTemplateName, renderTemplate, sampleVars, type TemplateOptions } from '../../src/core/template.js';
import { buildTemplateVars, couponValueText, politeName, readableCode, surnamePinyin, type VarsInput } from '../../src/core/template-vars.js';
import { builtinTemplates } from '../../src/io/templates.js';
import { translate } from '../../src/messages/index.js';
import { ROOT } from '../helpers/crm.js';
import { errorOf } from '../helpers/errors.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar that writes days the way src/core/calendar.ts does, for the few days these tests use. */
const calendar: Pick<TemplateOptions, 'formatDay' | 'formatLunar'> = {
  formatDay(day, lang, style) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    if (lang === 'zh') return style === 'long' ? `${y}年${m}月${d}日` : `${m}月${d}日`;
    return style === 'long' ? `${MONTHS[m - 1]} ${d}, ${y}` : `${MONTHS[m - 1]!.slice(0, 3)} ${d}`;
  },
  formatLunar: (day, lang) => (day === '2027-02-15' ? (lang === 'zh' ? '正月初十' : '1st month, day 10') : '?'),
};
const zh: TemplateOptions = { ...calendar, lang: 'zh', currency: 'CNY' };
const en: TemplateOptions = { ...calendar, lang: 'en', currency: 'USD' };

/** The message a refusal prints, in English. */
const said = (fn: () => unknown) => {
  const e = errorOf(fn);
  return translate('en', e.id, e.params);
};

function input(over: Partial<VarsInput> = {}, customer: Partial<VarsInput['customer']> = {}): VarsInput {
  return {
    customer: { id: 7, name: '张伟', gender: 'male', phones: [], email: null, city: null, birthday: null, birthdayLunar: false, tier: null, orderCount: 0, orderTotal: 0, fields: {}, tags: [], ...customer },
    lang: 'zh',
    currency: 'CNY',
    fieldKeys: [],
    segment: null,
    stage: null,
    valueClass: null,
    lastOrder: null,
    nextPurchase: null,
    shop: { name: '小王水果店', signature: '', phone: '' },
    coupon: null,
    occasion: null,
    today: '2027-02-01',
    ...over,
  };
}

describe('polite names', () => {
  it.each([
    ['张伟', 'male', 'zh', '张先生'],
    ['张伟', 'male', 'en', 'Mr Zhang'],
    ['李娜', 'female', 'zh', '李女士'],
    ['李娜', 'female', 'en', 'Ms Li'],
    ['欧阳娜娜', 'female', 'zh', '欧阳女士'],
    ['欧阳娜娜', 'female', 'en', 'Ms Ouyang'],
    ['司马光', 'male', 'en', 'Mr Sima'],
    ['诸葛亮', 'male', 'zh', '诸葛先生'],
    ['上官婉儿', 'female', 'en', 'Ms Shangguan'],
    ['令狐冲', 'male', 'en', 'Mr Linghu'],
    ['夏侯惇', 'male', 'zh', '夏侯先生'],
    ['单雄信', 'male', 'en', 'Mr Shan'], // the surname reading of 单, not dan
    ['曾小贤', 'male', 'en', 'Mr Zeng'],
    ['Jane Smith', 'female', 'en', 'Ms Smith'],
    ['Jane Smith', 'female', 'zh', 'Smith女士'],
    ['Smith, John', 'male', 'en', 'Mr Smith'],
    ['张伟', null, 'zh', '张伟'],
    ['张伟', null, 'en', '张伟'],
    ['Jane Smith', 'other', 'en', 'Jane Smith'],
    ['Madonna', 'female', 'en', 'Madonna'],
  ] as const)('%s (%s, %s) -> %s', (name, gender, lang, polite) => {
    expect(politeName(name, gender, lang)).toBe(polite);
  });

  it('writes compound surnames in pinyin as one word', () => {
    expect(surnamePinyin('欧阳')).toBe('Ouyang');
    expect(surnamePinyin('皇甫')).toBe('Huangfu');
  });
});

describe('the variables', () => {
  it('give the customer, their last order, the shop and nil for what is not known', () => {
    const v = buildTemplateVars(
      input(
        { fieldKeys: ['会员号', '尺码'], lastOrder: { day: '2027-01-02', amount: 9900 }, segment: { key: 'loyal', name: '忠诚客户' } },
        { city: '杭州', fields: { 尺码: 'M' }, tags: ['VIP'], phones: [{ e164: '+8613800138000', raw: null }] },
      ),
    );
    expect(v.customer).toMatchObject({ name: '张伟', polite: '张先生', given: '伟', city: '杭州', phone: '+8613800138000', segment: 'loyal', segment_name: '忠诚客户', stage: null, tags: ['VIP'] });
    // A field the shop uses but this customer lacks is '' (safe to print); others keep their value.
    expect(v.customer.fields).toEqual({ 会员号: '', 尺码: 'M' });
    expect(v.last_order).toEqual({ day: '2027-01-02', amount: 9900 });
    expect(v.days_since).toBe(30);
    expect(v.coupon).toBeNull();
    expect(v.shop).toEqual({ name: '小王水果店', signature: '小王水果店', phone: null });
  });

  it('work out the age at a birthday when the year is known', () => {
    const v = buildTemplateVars(input({ occasion: { key: 'birthday', day: '2027-02-06' } }, { birthday: '1990-02-06' }));
    expect(v.occasion).toMatchObject({ key: 'birthday', day: '2027-02-06', age: 37, lunar: false });
    expect(buildTemplateVars(input({ occasion: { key: 'birthday', day: '2027-02-06' } }, { birthday: '--02-06' })).occasion.age).toBeNull();
  });

  it('say a coupon the way a message does', () => {
    expect(couponValueText({ kind: 'amount', value: 2000 }, 'CNY', 'zh')).toBe('¥20');
    expect(couponValueText({ kind: 'amount', value: 1250 }, 'CNY', 'en')).toBe('¥12.50');
    expect(couponValueText({ kind: 'percent', value: 10 }, 'CNY', 'zh')).toBe('9折');
    expect(couponValueText({ kind: 'percent', value: 15 }, 'CNY', 'zh')).toBe('8.5折');
    expect(couponValueText({ kind: 'percent', value: 15 }, 'USD', 'en')).toBe('15% off');
    expect(readableCode('k7m2p9qx4r')).toBe('K7M2P-9QX4R');
    expect(readableCode('VIP-2027')).toBe('VIP-2027');
  });
});

describe('rendering', () => {
  it('renders a message in Chinese and in English, trimmed', () => {
    const body = '\n{{ customer.polite }}，生日快乐！{{ shop.signature }}\n\n';
    expect(renderTemplate(body, sampleVars('zh'), zh)).toBe('张女士，生日快乐！小王水果店 王芳');
    expect(renderTemplate('Happy birthday, {{ customer.polite }}! {{ shop.signature }}', sampleVars('en'), en)).toBe("Happy birthday, Ms Smith! Fang at Wang's Fruit");
  });

  it('offers money, day, date_zh, date_en, lunar and days_until', () => {
    const v = sampleVars('zh');
    const r = makeRenderer(zh);
    expect(r.render('{{ last_order.amount | money }}', v)).toBe('¥128.50');
    expect(r.render('{{ occasion.day | day }} {{ occasion.day | day: "short" }}', v)).toBe('2027年2月6日 2月6日');
    expect(r.render('{{ occasion.day | date }}', v)).toBe('2027年2月6日');
    expect(r.render('{{ occasion.day | date_en }} / {{ occasion.day | date_en: "short" }} / {{ occasion.day | date_zh }}', v)).toBe('February 6, 2027 / Feb 6 / 2027年2月6日');
    expect(r.render('{{ "2027-02-15" | lunar }}', v)).toBe('正月初十');
    expect(r.render('{{ coupon.expires | days_until }}', v)).toBe('37');
    expect(r.render('{{ "--03-08" | day }}', v)).toBe('3月8日');
    expect(makeRenderer(en).render('{{ last_order.amount | money }} on {{ last_order.day | day }}', sampleVars('en'))).toBe('$128.50 on December 20, 2026');
  });

  it('reads custom fields, tags and nil parts with the usual Liquid', () => {
    const v = buildTemplateVars(input({ fieldKeys: ['会员号'] }, { fields: { 会员号: 'A-17' }, tags: ['VIP', '团购'] }));
    const r = makeRenderer(zh);
    expect(r.render('{{ customer.fields["会员号"] }} {{ customer.tags | join: "、" }} {{ customer.tags.size }}', v)).toBe('A-17 VIP、团购 2');
    expect(r.render('{% if coupon %}有券{% else %}无券{% endif %}{% if customer.city %}{{ customer.city }}{% endif %}', v)).toBe('无券');
  });

  it('never returns half a message: a filter given nil throws, as does an empty message', () => {
    const v = buildTemplateVars(input());
    expect(said(() => renderTemplate('下次：{{ next_purchase | day }}', v, zh))).toBe('line 1, column 4: the day filter cannot take nil');
    expect(said(() => renderTemplate('{% if coupon %}{{ coupon.code }}{% endif %}', v, zh))).toBe('the template makes an empty message');
    expect(said(() => renderTemplate('{{ customer.name | money }}', v, zh))).toBe('line 1, column 1: the money filter cannot take "张伟"');
    expect(said(() => renderTemplate('{{ today | day: "medium" }}', v, zh))).toBe('line 1, column 1: the day filter cannot take "medium"');
  });
});

describe('checking a template', () => {
  it('accepts a template that uses the documented variables, in both languages', () => {
    const body = '{{ customer.polite }} {{ customer.given }} {{ customer.fields.size }} {% if coupon %}{{ coupon.code }} {{ coupon.value }} {{ coupon.min_spend | money }}{% endif %} {{ next_purchase | day }} {{ occasion.age }}';
    expect(() => checkTemplate(body, zh)).not.toThrow();
    expect(() => checkTemplate(body, en)).not.toThrow();
  });

  it('names the line and column of an unknown variable, an unknown filter and a syntax error', () => {
    expect(said(() => checkTemplate('您好\n\n{{ customer.polite }}，{{ customer.nmae }}', zh))).toBe('line 3, column 26: undefined variable: customer.nmae');
    expect(said(() => checkTemplate('Hi\n  {{ customer.name | shout }}', en))).toBe('line 2, column 3: undefined filter: shout');
    expect(said(() => checkTemplate('{% if coupon %}\nno end', en))).toBe('line 1, column 1: tag {% if coupon %} not closed');
    expect(said(() => checkTemplate('{{ customer.name ', en))).toMatch(/^line 1, column 1: /);
    // The Chinese line says the same.
    const e = errorOf(() => checkTemplate('{{ customer.nmae }}', zh));
    expect(translate('zh', e.id, e.params)).toBe('第 1 行第 4 列：没有这个变量：customer.nmae');
    expect(e.exitCode).toBe(2);
  });

  it('knows the shop’s custom fields: a key it does not use is an unknown variable', () => {
    expect(() => checkTemplate('{{ customer.fields.会员号 }}', { ...zh, fieldKeys: ['会员号'] })).not.toThrow();
    expect(said(() => checkTemplate('{{ customer.fields.尺码 }}', { ...zh, fieldKeys: ['会员号'] }))).toBe('line 1, column 4: undefined variable: customer.fields.尺码');
  });

  it('sees only the variables’ own properties', () => {
    expect(said(() => checkTemplate('{{ customer.constructor }}', en))).toMatch(/undefined variable: customer.constructor/);
    expect(said(() => checkTemplate('{{ customer.name.__proto__ }}', en))).toMatch(/undefined variable/);
  });

  it('reads no file: include, render and layout are refused', () => {
    for (const tag of ["{% include '/etc/passwd' %}", "{% render 'birthday' %}", "{% layout 'x' %}"]) {
      expect(said(() => checkTemplate(`Hi\n${tag}`, en))).toMatch(/^line 2, column 1: (include|render|layout) is not allowed/);
    }
  });

  it('stops a template that loops for too long, or makes a huge message', () => {
    const started = Date.now();
    const forever = '{% for i in (1..100000) %}{% for j in (1..100000) %}{{ j }}{% endfor %}{% endfor %}';
    expect(said(() => checkTemplate(forever, en))).toMatch(/took longer than \d+ ms/);
    const empty = '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}';
    expect(said(() => checkTemplate(empty, en))).toMatch(/took longer than \d+ ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(said(() => checkTemplate('{% for i in (1..3000) %}{{ customer.name }} 0123456789{% endfor %}', en))).toBe('the message would be longer than 20000 characters');
    // An array doubled 40 times: stopped by the memory limit (or, on a loaded machine, the time limit).
    const doubling = '{% assign a = "x,y" | split: "," %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a.size }}';
    expect(said(() => checkTemplate(doubling, en))).toMatch(/longer than 20000 characters|took longer than/);
    expect(said(() => checkTemplate('x'.repeat(20_001), en))).toBe('the template is longer than 20000 characters');
  });
});

describe('the built-in templates', () => {
  const builtins = builtinTemplates();
  const NAMES = ['welcome', 'callback', 'birthday', 'birthday_lunar', 'spring_festival', 'lantern', 'dragon_boat', 'qixi', 'mid_autumn', 'double_ninth', 'national_day', 'new_year', 'womens_day', 'mothers_day', 'fathers_day', 'upgrade', 'renewal', 'replenish', 'winback', 'complaint_followup', 'survey'];

  it('has every occasion in Chinese and English', () => {
    for (const name of NAMES) for (const lang of ['zh', 'en']) expect(builtins.some((t) => t.name === name && t.lang === lang), `${name}.${lang}`).toBe(true);
  });

  it('passes the check in its language, is short, and is signed by the shop', () => {
    for (const t of builtins) {
      const opts = t.lang === 'zh' ? zh : en;
      expect(() => checkTemplate(t.body, opts), `${t.name}.${t.lang}`).not.toThrow();
      const message = renderTemplate(t.body, sampleVars(t.lang), opts);
      if (t.name === 'callback' || t.name === 'escalation') continue; // for the staff (a script, a notice), not messages to customers
      expect(message).toContain(sampleVars(t.lang).shop.signature);
      expect(message.length, `${t.name}.${t.lang}: ${message}`).toBeLessThanOrEqual(t.lang === 'zh' ? 120 : 320);
    }
  });

  it('gives the top default tier a variant that carries the customer’s coupon', () => {
    for (const [name, opts] of [['birthday@钻石', zh], ['birthday@Diamond', en]] as const) {
      const t = builtins.find((b) => b.name === name)!;
      const withCoupon = renderTemplate(t.body, sampleVars(opts.lang), opts);
      expect(withCoupon).toContain('K7M2P-9QX4R');
      const without = renderTemplate(t.body, { ...sampleVars(opts.lang), coupon: null }, opts);
      expect(without).not.toContain('K7M2P');
    }
  });
});

describe('choosing a template', () => {
  const ladder = { rules: [{ name: '普通', minSpend: 0 }, { name: '钻石', minSpend: 2_000_000 }], months: 12 };
  const lib = templateLibrary(
    [
      { name: 'birthday', lang: 'zh', body: 'mine' },
      { name: 'thanks', lang: 'en', body: 'thanks' },
    ],
    [
      { name: 'birthday', lang: 'zh', body: 'shipped' },
      { name: 'birthday', lang: 'en', body: 'shipped en' },
      { name: 'birthday@钻石', lang: 'zh', body: 'diamond' },
      { name: 'birthday@Diamond', lang: 'en', body: 'diamond en' },
    ],
    ladder,
  );
  const pick = (name: string, lang: 'en' | 'zh', tier: string | null) => {
    const t = lib.forCustomer(name, lang, tier);
    return t && `${t.name}.${t.lang}:${t.body}`;
  };

  it('takes the user’s text before the built-in, and the tier’s variant before the plain name', () => {
    expect(pick('birthday', 'zh', null)).toBe('birthday.zh:mine');
    expect(pick('birthday', 'zh', '普通')).toBe('birthday.zh:mine');
    expect(pick('birthday', 'zh', '钻石')).toBe('birthday@钻石.zh:diamond');
    // A variant named after a default level in the other language is that level's (Diamond is 钻石).
    expect(pick('birthday', 'en', '钻石')).toBe('birthday@Diamond.en:diamond en');
  });

  it('falls back to the other language only when the name has none in the message language', () => {
    expect(pick('thanks', 'zh', null)).toBe('thanks.en:thanks');
    expect(pick('nothing', 'zh', null)).toBeNull();
  });

  it('lists each name once: built-in, the user’s, or a built-in overridden', () => {
    expect(lib.entries()).toEqual([
      { name: 'birthday', langs: ['en', 'zh'], source: 'overridden' },
      { name: 'birthday@Diamond', langs: ['en'], source: 'builtin' },
      { name: 'birthday@钻石', langs: ['zh'], source: 'builtin' },
      { name: 'thanks', langs: ['en'], source: 'user' },
    ]);
  });

  it('checks names: a base of letters, digits, _ and -, and @ a tier', () => {
    expect(parseTemplateName(' birthday@钻石 ')).toBe('birthday@钻石');
    for (const bad of ['', '../x', 'a b', 'x@', 'x@y@z', 'a.b']) expect(errorOf(() => parseTemplateName(bad)).id).toBe('err.template.name');
  });
});

describe('docs/templates.md', () => {
  it('renders its example as it shows, with the sample variables', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'templates.md'), 'utf8');
    const example = doc.slice(doc.indexOf('## Example'));
    const [, body, shown] = /```liquid\n([\s\S]+?)```[\s\S]+?```\n([\s\S]+?)\n```/.exec(example)!;
    expect(renderTemplate(body!, sampleVars('zh'), zh)).toBe(shown);
    expect(sampleVars('zh').days_since).toBe(41);
  });
});
