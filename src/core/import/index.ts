// Importing spreadsheets: which column is which field (Chinese and English headers), how a row's
// text becomes a customer or an order, how dates whose day/month order a column must settle are
// read, and what happens when a row's customer already exists. Pure: no I/O; errors name the column.
//   columns.ts    header matching and the column map
//   dates.ts      dates and times as spreadsheets write them; a column's day/month order
//   rows.ts       one row's text to a customer (and the cell rules rows share)
//   order-rows.ts one row's text to an order and what it says of its customer
//   lines.ts      an order written as one row per line item
//   decisions.ts  what happens when the row's customer (or order) already exists
export { checkMapping, columnList, type ColumnMap, CUSTOMER_TARGETS, FIELD_PREFIX, headerKey, type ImportKind, looksLikeData, looksLikeHeader, mapColumns, mapsByNumber, needsFieldPrefix, ORDER_TARGETS, type Target } from './columns.js';
export { type DateOrder, dateOrderOf, type DateScan, type LocalDate, newDateScan, parseAt, parseDateFormat, parseInstant, parseLocalDate, scanDate, scanMatters } from './dates.js';
export { addLine, continuesOrder } from './lines.js';
export { ADDRESS_PART, OPENING_AS_OF, addressRole, type AddressRole, checkRowWidth, customerFromRow, type ImportedCustomer, joinAddress, joinName, parseFlag, type RowContext, RowError, type RowWarning, rowCountry, splitPhones, validPhoneIn } from './rows.js';
export { CUSTOMER_KEY_TARGETS, type CustomerKey, type ImportedOrder, orderFromRow, readCustomerKey } from './order-rows.js';
export { combine, type Combined, CONFLICT_MODES, type ConflictMode, type CustomerDecision, type CustomerLookups, customerKeyText, decideCustomer, decideOrder, matchCustomer, type OrderDecision, type OrderLookups, parseConflictMode, RepeatedOrders, sameRecord } from './decisions.js';
