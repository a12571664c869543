import { describe, expect, it } from 'vitest';
import type { Customer } from '../../src/core/customer.js';
import { maskAddress, maskBirthday, maskCustomer, maskDigits, maskEmail, maskName, maskPhone } from '../../src/core/mask.js';

describe('masking personal data', () => {
  it.each([
    ['+8613800138000', '+86138****8000'], // the usual Chinese form: 3 + 4 digits of an 11-digit mobile
    ['+8619912345678', '+86199****5678'],
    ['+862164871234', '+8621*****234'], // a Shanghai landline (10 digits): half of it hidden
    ['+85291234567', '+85291****67'], // Hong Kong, 8 digits
    ['+14155552671', '+141*****671'], // the country code stays whole
    ['+447911123456', '+4479*****456'],
  ])('phone %s -> %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['13800138000', '138****8000'],
    ['2164871234', '21*****234'],
    ['12345', '1***5'],
    ['1234', '****'],
    ['12', '**'],
    ['1', '*'],
    ['', ''],
  ])('digits %s -> %s', (digits, masked) => {
    expect(maskDigits(digits)).toBe(masked);
  });

  it.each([
    ['zhang@example.com', 'z***@example.com'],
    ['a@qq.com', 'a***@qq.com'], // the length is not told
    ['li.na+shop@163.com', 'l***@163.com'],
    ['张三@例子.中国', '张***@例子.中国'],
    ['not-an-email', 'n***'],
  ])('email %s -> %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ['张伟', '张*'],
    ['欧阳娜娜', '欧***'],
    ['张 伟', '张 *'],
    ['伟', '*'],
    ['Emily Chen', 'E**** C***'],
    ['Mary-Jane Li', 'M***-J*** L*'],
    ["O'Brien", "O'B****"],
    ['迈克尔·杰克逊', '迈**·***'],
    ['Li 小龙', 'L* **'],
  ])('name %s -> %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['上海市徐汇区漕溪北路1234号', '上海市徐汇区***'],
    ['浙江省杭州市西湖区文三路100号5栋1203室', '浙江省杭州市西湖区***'],
    ['广东省深圳市南山区科苑路1号', '广东省深圳市南山区***'],
    ['内蒙古自治区呼和浩特市新城区中山路1号', '内蒙古自治区呼和浩特市新城区***'],
    ['重庆市沙坪坝区小龙坎正街88号', '重庆市沙坪坝区***'],
    ['江苏省昆山市花桥镇徐公桥路1号', '江苏省昆山市***'], // a county-level city, no district
    ['上海徐汇区漕溪北路1234号', '上海徐汇区***'],
    ['山东省青岛市市南区香港中路1号', '山东省青岛市***'], // less is kept rather than too much
    ['北京市朝阳区', '北京市朝阳区'], // nothing more to hide
    ['漕溪北路1234号', '***'],
    ['12 Pike St, Seattle', '***, Seattle'],
    ['221B Baker St', '***'],
    ['10 Downing St, London SW1A 2AA', '***'],
  ])('address %s -> %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it.each([
    ['1990-03-05', '--03-05'],
    ['--12-31', '--12-31'],
    ['garbage', '***'],
  ])('birthday %s -> %s', (birthday, masked) => {
    expect(maskBirthday(birthday)).toBe(masked);
  });

  it('masks a whole customer: its member number, its custom fields and its note by their rules; figures stay', () => {
    const c: Customer = {
      id: 7,
      name: '张伟',
      nameRaw: ' 张 伟',
      phones: [
        { e164: '+8613800138000', raw: '138-0013-8000' },
        { e164: '+862164871234', raw: null },
      ],
      email: 'zhang@example.com',
      emailRaw: 'Zhang@Example.com',
      gender: 'male',
      birthday: '1990-03-05',
      birthdayLunar: false,
      city: '上海',
      address: '上海市徐汇区漕溪北路1234号',
      externalId: 'M-001',
      note: '喜欢绿茶',
      tags: ['VIP'],
      fields: { 微信: 'wxid_zw' },
      doNotContact: false,
      tier: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      orderCount: 3,
      orderTotal: 128050,
      firstOrderDay: '2026-01-01',
      lastOrderDay: '2026-02-14',
    };
    expect(maskCustomer(c)).toEqual({
      ...c,
      name: '张*',
      nameRaw: null,
      phones: [
        { e164: '+86138****8000', raw: null },
        { e164: '+8621*****234', raw: null },
      ],
      email: 'z***@example.com',
      emailRaw: null,
      birthday: '--03-05',
      address: '上海市徐汇区***',
      externalId: '***1',
      fields: { 微信: '***w' },
    });
    expect(maskCustomer({ ...c, email: null, birthday: null, address: null, phones: [], note: null })).toMatchObject({ email: null, birthday: null, address: null, phones: [], note: null });
  });
});
