#!/usr/bin/env node
// A till's order export for the bench: N orders over three years for the customers of a crm book,
// as a shop moving in would bring them (Chinese headers, national mobile numbers, yuan with two
// decimals, local times, now and then a note), in time order. Deterministic for a seed.
//
//   node bench/gen-orders.js <book.db> <out.csv> [orders] [seed]
//
// The buyers: each customer's first phone (crm matches the order by it), some customers far more
// often than others (a squared uniform draw over a scrambled order of the customers).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const [book, out, count = '10000000', seedText = '1'] = process.argv.slice(2);
if (!book || !out) {
  console.error('usage: node bench/gen-orders.js <book.db> <out.csv> [orders] [seed]');
  process.exit(2);
}
const N = Number(count);
// mulberry32: small, fast, deterministic.
let state = Number(seedText) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const db = new Database(book, { readonly: true });
const phones = db
  .prepare('SELECT phone FROM customer_phones WHERE position = 0 ORDER BY customer_id')
  .pluck()
  .all()
  .map((p) => (p.startsWith('+86') ? p.slice(3) : p));
db.close();
const C = phones.length;
if (C === 0) throw new Error(`${book} has no customer with a phone`);

// Three years to 2026-11-22 10:00 (the bench's CRM_NOW), Asia/Shanghai.
const END = Date.parse('2026-11-22T10:00:00+08:00');
const START = END - 3 * 365 * 86_400_000;
const two = (n) => String(n).padStart(2, '0');
const local = (ms) => {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};
const NOTES = ['会员日', '线上下单', '到店自提', '团购', '生日礼', 'gift wrap'];

const fd = fs.openSync(out, 'w');
let buf = '订单号,手机号,实付金额,下单时间,备注\n';
for (let i = 0; i < N; i++) {
  const at = START + Math.floor(((i + random()) * (END - START)) / N);
  const u = random();
  const customer = Math.floor(u * u * C);
  // A scrambled order of the customers, so the frequent buyers are not the first ids.
  const phone = phones[(customer * 2654435761) % C];
  const yuan = Math.round(Math.exp(3 + 1.2 * (random() + random() + random() - 1.5)) * 100) / 100;
  const note = random() < 0.05 ? NOTES[Math.floor(random() * NOTES.length)] : '';
  buf += `T${local(at).slice(0, 10).replaceAll('-', '')}${String(i).padStart(8, '0')},${phone},${yuan.toFixed(2)},${local(at)},${note}\n`;
  if (buf.length > 1 << 20) {
    fs.writeSync(fd, buf);
    buf = '';
  }
}
fs.writeSync(fd, buf);
fs.closeSync(fd);
console.error(`${out}: ${N.toLocaleString('en-US')} orders for ${C.toLocaleString('en-US')} customers`);
