// What `--mask` makes of ids, custom fields and free text (notes, order numbers): every phone,
// email, card, member number and WeChat id inside is masked as its kind; the other words stay.
import { describe, expect, it } from 'vitest';
import { maskCustomer, maskField, maskId, maskInteraction, maskOrder, maskText } from '../../src/core/mask.js';

describe('masking ids', () => {
  it.each([
    ['VIP20230017', '***17'], // a member number: the last quarter of it, at most 4
    ['6222021234567890123', '***0123'],
    ['6222 0212 3456 7890 123', '***0 123'], // the last 4 digits, the spaces between them kept
    ['wxid_abc123', '***23'],
    ['M-001', '***1'],
    ['abc', '***'], // too short to keep anything
    ['', ''],
  ])('%s -> %s', (id, masked) => {
    expect(maskId(id)).toBe(masked);
  });
});

describe('masking free text', () => {
  it.each([
    ['喜欢绿茶，对花生过敏', '喜欢绿茶，对花生过敏'], // nothing that identifies: the words stay
    ['她电话13912345678，邮箱lina@qq.com', '她电话139****5678，邮箱l***@qq.com'],
    ['回电 186 1234 5678', '回电 186****5678'], // a phone written in groups is one number
    ['call +86 139-1234-5678 or 021-6487 1234', 'call +86139****5678 or 021****1234'],
    ['卡号６２２２０２１２３４５６７８９０１２３', '卡号622************0123'], // full-width digits
    ['QQ 12345，微信: zhangwei，wechat id lina_88', 'QQ ***5，微信: ***ei，wechat id ***8'], // accounts after their label
    ['加了wxid_abc123和zw8812ab', '加了***23和***ab'], // id-like tokens anywhere
    ['收货人王芳 15011112222', '收货人王* 150****2222'], // a name after its label
    ['2026-11-22 来过，买了 3 件，共 1,280 元', '2026-11-22 来过，买了 3 件，共 1,280 元'], // dates and small numbers stay
    ['iPhone15 and COVID-19', 'iPhone15 and COVID-19'], // a word with a digit or two is not an id
    ['朋友李娜介绍', '朋友李娜介绍'], // another person's name in a sentence cannot be told from words: it stays
  ])('%s -> %s', (text, masked) => {
    expect(maskText(text)).toBe(masked);
  });

  it.each([
    // phones in international forms, brackets and all
    ['Call +1 (415) 555-2671 after 6', 'Call +141*****671 after 6'],
    ['(+86) 138 0013 8000', '+86138****8000'],
    ['座机 (021) 6487 1234', '座机 021****1234'],
    ['UK office +44 20 7946 0958', 'UK office +4420*****958'],
    ['tel:13800138000/13912345678', 'tel:138****8000/139****5678'],
    // emails, ids and accounts in English and Chinese sentences
    ['Email Emily.Chen+vip@Mail.Example.COM.', 'Email E***@Mail.Example.COM.'],
    ['my wechat is lina88, QQ号:123456789', 'my wechat is ***8, QQ号:***89'],
    ['微信是 lina_88', '微信是 ***8'],
    ['身份证11010119900305123X', '身份证***123X'], // an id number ending in X
    ['passport E12345678', 'passport ***78'],
    ['Card 4111 1111 1111 1111 exp 12/28', 'Card 411*********1111 exp 12/28'],
    // names and addresses after their labels
    ['Ship to: Emily Chen, 12 Pike St, Seattle', 'Ship to: E**** C***, *** Pike St, Seattle'],
    ['收件人 Li Na，送到漕溪北路1234号，放门口', '收件人 L* N*，送到漕溪北路***，放门口'],
    ['阳光小区3栋2单元501室', '阳光小区***'],
    // an email's local part in Chinese
    ['张伟@qq.com', '张***@qq.com'],
    ['客户张伟88@163.com，回电', '客***@163.com，回电'],
    // a mobile after an amount word is still a phone
    ['price 13912345678', 'price 139****5678'],
  ])('%s -> %s', (text, masked) => {
    expect(maskText(text)).toBe(masked);
  });

  it.each([
    // ordinary words, dates, times, quantities, amounts and order totals stay as they are
    'Loves green tea, allergic to peanuts; contact me tomorrow',
    'walked 3 times down the road',
    'Bought 2 iPhone15 cases for $59.90 on 2026-11-22 at 15:30',
    '2026/11/22、2026.11.22、2026年11月22日 和 11月3号来取',
    '订单合计 ¥1,280.00（含运费 ¥12），共 1280.00 元',
    '年消费 128000元，预算 12万，total RMB 12800.00, paid 12800.00 USD',
    '共计 12800.00',
    '买了3件(128元)',
    // a number after a word that says it is an amount
    '订单金额 128000',
    '实付：3999.00，合计128000，总额 1,280,000，价格 880000',
    'Total: 128000, amount 250000, price 990000',
    '¥ 128000',
  ])('%s stays', (text) => {
    expect(maskText(text)).toBe(text);
  });

  it("masks the customer's own name wherever the text names them", () => {
    expect(maskText('张伟的太太来取，张伟不在', ['张伟'])).toBe('张*的太太来取，张*不在');
    expect(maskText("Emily's husband; emily chen paid; Kitchen", ['Emily Chen'])).toBe("E****'s husband; e**** c*** paid; Kitchen");
    expect(maskText('伟哥来了', ['伟'])).toBe('伟哥来了'); // a one-character name would hide every such character
  });
});

describe('masking custom fields by what their key says', () => {
  it.each([
    ['微信', 'wxid_zw8812ab', '***2ab'],
    ['wechatId', 'zhangwei', '***ei'], // letters only: an id because the key says so
    ['QQ', '12345', '***5'],
    ['卡号', '6222 0212 3456 7890 123', '622************0123'],
    ['会员号', 'VIP20230017', '***17'],
    ['手机2', '13912345678', '139****5678'], // the form of the phone column
    ['备用邮箱', 'lina@qq.com', 'l***@qq.com'],
    ['身份证', '110101199003051234', '110***********1234'],
    ['开户银行', '招商银行', '招商银行'], // an account key whose value is words in Chinese: a category
    ['微信昵称', '小龙女', '小**'], // a name
    ['联系人', 'Li Na', 'L* N*'],
    ['收货地址', '浙江省杭州市西湖区文三路100号', '浙江省杭州市西湖区***'],
    ['address.邮编', '310012', '***'],
    ['生日', '1990-03-05', '--03-05'],
    ['口味', '绿茶', '绿茶'], // anything else is free text
    ['备注', '老客户 13800138000', '老客户 138****8000'],
    ['尺码', 'L', 'L'],
    // a person named by what they are to the customer
    ['推荐人', '王小明', '王**'],
    ['介绍人', '李娜', '李*'],
    ['孩子', '张小宝', '张**'],
    ['配偶', 'Li Na', 'L* N*'],
    ['紧急联系人', '韩梅梅', '韩**'],
    ['referrer', 'Tom Lee', 'T** L**'],
    ['spouse', 'Ann', 'A**'],
    ['contact', '王芳', '王*'],
  ])('%s=%s -> %s', (key, value, masked) => {
    expect(maskField(key, value)).toBe(masked);
  });
});

describe('masking a customer', () => {
  it('reads its tags as free text (one that identifies no one stays) and empties what was typed', () => {
    const c = { name: '张伟', nameRaw: ' 张伟', phones: [{ e164: '+8613800138000', raw: '138 0013 8000' }], email: null, emailRaw: null, birthday: null, address: null, externalId: null, note: null, fields: {}, tags: ['VIP', '介绍人13912345678', 'wxid_abcd1234', '老客户'] };
    const masked = maskCustomer(c as unknown as Parameters<typeof maskCustomer>[0]);
    expect(masked.tags).toEqual(['VIP', '介绍人139****5678', '***234', '老客户']);
    expect(masked.phones).toEqual([{ e164: '+86138****8000', raw: null }]);
    expect(masked.nameRaw).toBeNull();
  });
});

describe('masking orders and interactions', () => {
  it('masks the customer, the order number and the note, and leaves the rest', () => {
    const order = { id: 1, customerName: '张伟', externalId: 'TB20261122-13800138000', note: '张伟要发票，电话13800138000', amount: 10000 };
    expect(maskOrder(order)).toEqual({ id: 1, customerName: '张*', externalId: '***8000', note: '张*要发票，电话138****8000', amount: 10000 });
    expect(maskOrder({ ...order, externalId: null, note: null })).toMatchObject({ externalId: null, note: null });
    expect(maskInteraction({ id: 2, customerName: 'Emily Chen', note: 'Emily asked to call 4155552671', type: 'call' })).toEqual({
      id: 2,
      customerName: 'E**** C***',
      note: 'E**** asked to call 41*****671',
      type: 'call',
    });
  });
});
