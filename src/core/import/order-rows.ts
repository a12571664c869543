// Importing spreadsheets, the order rows: how one row's text becomes an order, with what it says of
// its customer (crm's id, member number, phone, email, name). Errors name the column of the first
// value that does not parse.
import { parseAmount } from '../money.js';
import { normalizePhone, plainCnMobile } from '../phone.js';
import { normalizeEmail, normalizeText } from '../text.js';
import type { ColumnMap, Target } from './columns.js';
import { parseInstant, TIME_ONLY } from './dates.js';
import { checkCell, checkRowWidth, inColumn, joinName, keyText, phoneText, phoneWarning, rowCountry, RowError, splitPhones, type RowContext, type RowWarning } from './rows.js';

export interface ImportedOrder {
  orderNo: string | null;
  /** What the shop kept: the amount column (what was paid) minus refunded. */
  amount: number;
  /** What went back (the refunded column; 0 without one). */
  refunded: number;
  at: string;
  day: string;
  note: string | null;
  /** The note's parts (one per note column), which a line-item row below adds to (lines.ts). */
  noteParts: string[];
  /** The row has an order number and no amount: a line item of the order above it (Shopify's later rows). */
  lineOnly: boolean;
  customer: CustomerKey;
  /** The buyer's phone read in a country nobody said, that may be another's (the order is imported). */
  warnings: RowWarning[];
}

/** What a row says of the customer it is about: crm's id, the member number, a phone, an email, a name (and an address to create them with). */
export interface CustomerKey {
  id: number | null;
  externalId: string | null;
  phone: string | null;
  email: string | null;
  name: string | null;
  address: string | null;
}

export const CUSTOMER_KEY_TARGETS: ReadonlySet<Target> = new Set<Target>(['customer_id', 'customer_external_id', 'customer_phone', 'customer_email', 'customer_name', 'customer_address']);

/**
 * Reads a cell naming the customer (a column mapped to customer_id, customer_external_id,
 * customer_phone, customer_email or customer_name) into `key`; other columns are left alone.
 * Throws RowError naming the column when the value does not parse.
 */
export function readCustomerKey(c: ColumnMap, v: string, ctx: Pick<RowContext, 'country'>, key: CustomerKey): void {
  switch (c.target) {
    case 'customer_id':
      if (!/^\d{1,15}$/.test(v)) throw new RowError(c.header, 'err.import.id', { value: v });
      key.id = Number(v);
      break;
    case 'customer_external_id':
      key.externalId = keyText(c, v);
      break;
    case 'customer_phone':
      key.phone = inColumn(c, () => normalizePhone(phoneText(c, splitPhones(v)[0] ?? v), ctx.country)).e164;
      break;
    case 'customer_email':
      key.email = inColumn(c, () => normalizeEmail(v)).value;
      break;
    case 'customer_name':
      key.name = normalizeText(v);
      break;
    case 'customer_address':
      key.address = normalizeText(v);
      break;
    default:
      break;
  }
}

/** An order from one row; throws RowError naming the column of the first value that does not parse. */
export function orderFromRow(values: string[], map: ColumnMap[], ctx: RowContext): ImportedOrder {
  checkRowWidth(values, map, ctx.headerless);
  const out: ImportedOrder = {
    orderNo: null, amount: -1, refunded: 0, at: '', day: '', note: null, noteParts: [], lineOnly: false,
    customer: { id: null, externalId: null, phone: null, email: null, name: null, address: null },
    warnings: [],
  };
  const where = rowCountry(values, map, ctx);
  const keyCtx = { country: where.country };
  let [family, given] = ['', ''];
  let when: { at: string; day: string } | null = null;
  let dayOnly: { at: string; day: string } | null = null;
  let dayColumn: ColumnMap | null = null;
  let timeOnly: string | null = null;
  const notes = out.noteParts;
  // The country and the delivery address are the order's too: kept in its note.
  const inNote = (c: ColumnMap) => c.target === 'note' || c.target === 'country' || c.target === 'customer_address';
  const noteColumns = map.filter(inNote).length;
  for (const c of map) {
    const v = (values[c.index] ?? '').trim();
    if (v === '') continue;
    checkCell(c, v);
    switch (c.target) {
      case 'order_no':
        out.orderNo = keyText(c, v);
        break;
      case 'amount':
        out.amount = inColumn(c, () => parseAmount(v, ctx.currency));
        break;
      case 'refunded':
        out.refunded = inColumn(c, () => parseAmount(v, ctx.currency));
        break;
      case 'ordered_at':
      case 'day': {
        if (c.target === 'ordered_at' && TIME_ONLY.test(v)) {
          timeOnly = v; // a time column beside a date column
          break;
        }
        const w = parseInstant(v, ctx.dateOrders.get(c.index) ?? null, ctx.zone);
        if (!w) throw new RowError(c.header, 'err.datetime', { value: v });
        if (c.target === 'ordered_at') when = w;
        else [dayOnly, dayColumn] = [w, c];
        break;
      }
      case 'customer_family_name':
        family = v;
        break;
      case 'customer_given_name':
        given = v;
        break;
      case 'customer_phone':
      default:
        if (c.target === 'customer_phone') {
          const plain = plainCnMobile(v, where.country);
          if (plain) {
            out.customer.phone = plain;
            break;
          }
        }
        readCustomerKey(c, v, keyCtx, out.customer);
        if (c.target === 'customer_phone' && out.customer.phone) {
          const doubt = phoneWarning(c, splitPhones(v)[0] ?? v, out.customer.phone, where);
          if (doubt) out.warnings.push(doubt);
        }
        break;
    }
    if (inNote(c)) notes.push(noteColumns > 1 ? `${c.header}: ${v}` : v);
  }
  if (notes.length) out.note = notes.join('; ');
  if (!out.customer.name && (family || given)) out.customer.name = normalizeText(joinName(family, given));
  if (!when && dayOnly && timeOnly) {
    when = parseInstant(`${dayOnly.day} ${timeOnly}`, null, ctx.zone);
    if (!when) throw new RowError(dayColumn?.header ?? null, 'err.datetime', { value: `${dayOnly.day} ${timeOnly}` });
  }
  const amountColumn = map.find((c) => c.target === 'amount')!;
  // A line item below its order: its amount is in the order's row (lines.ts joins them).
  if (out.amount < 0 && out.orderNo) return { ...out, amount: 0, lineOnly: true };
  if (out.amount < 0) throw new RowError(amountColumn.header, 'err.import.missing', { field: amountColumn.header });
  if (out.refunded > out.amount) {
    const refundedColumn = map.find((c) => c.target === 'refunded')!;
    throw new RowError(refundedColumn.header, 'err.import.refundedTooMuch', { refunded: values[refundedColumn.index]!.trim(), paid: values[amountColumn.index]!.trim() });
  }
  out.amount -= out.refunded;
  const w = when ?? dayOnly;
  if (!w) {
    const dateColumn = map.find((c) => c.target === 'ordered_at' || c.target === 'day')!;
    throw new RowError(dateColumn.header, 'err.import.missing', { field: dateColumn.header });
  }
  out.at = w.at;
  out.day = w.day;
  const c = out.customer;
  if (c.id === null && !c.externalId && !c.phone && !c.email && !c.name) throw new RowError(null, 'err.import.noCustomerValue');
  return out;
}
