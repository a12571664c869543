// Schema version 1: customers with phones, tags and custom fields; orders; interactions; settings;
// the full-text index. Tables that later features link to customers (reminders, complaints, merge
// history) reference customers(id) the same way, so a merge can move every link in one place.
export const sql = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE customers (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT NOT NULL COLLATE NOCASE,
  name_raw       TEXT,
  -- The name as looked up: NFKC, lower case, without white space (张 伟 = 张伟, ＡＢ = ab).
  name_key       TEXT NOT NULL,
  email          TEXT,
  email_raw      TEXT,
  gender         TEXT CHECK (gender IN ('female', 'male', 'other')),
  birthday       TEXT,
  birthday_lunar INTEGER NOT NULL DEFAULT 0 CHECK (birthday_lunar IN (0, 1)),
  city           TEXT,
  address        TEXT,
  external_id    TEXT,
  note           TEXT,
  fields         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
  do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
  tier           TEXT,
  -- Order aggregates, kept current by the triggers below.
  order_count     INTEGER NOT NULL DEFAULT 0,
  order_total     INTEGER NOT NULL DEFAULT 0,
  first_order_day TEXT,
  last_order_day  TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_email ON customers (email) WHERE email IS NOT NULL;
CREATE INDEX customers_external_id ON customers (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_city ON customers (city COLLATE NOCASE) WHERE city IS NOT NULL;
CREATE INDEX customers_created_at ON customers (created_at);

-- Two customers may share a phone (an import that keeps duplicates for dedupe, a family phone).
CREATE TABLE customer_phones (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  phone       TEXT NOT NULL,
  raw         TEXT,
  position    INTEGER NOT NULL,
  PRIMARY KEY (customer_id, phone)
) WITHOUT ROWID;
CREATE INDEX customer_phones_phone ON customer_phones (phone);

CREATE TABLE customer_tags (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  tag         TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
CREATE INDEX customer_tags_tag ON customer_tags (tag);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  external_id TEXT,
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  ordered_at  TEXT NOT NULL,
  day         TEXT NOT NULL,
  note        TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX orders_customer_day ON orders (customer_id, day);
CREATE INDEX orders_day ON orders (day);
CREATE UNIQUE INDEX orders_external_id ON orders (external_id) WHERE external_id IS NOT NULL;

CREATE TRIGGER orders_after_insert AFTER INSERT ON orders BEGIN
  UPDATE customers SET
    order_count = order_count + 1,
    order_total = order_total + NEW.amount,
    first_order_day = CASE WHEN first_order_day IS NULL OR NEW.day < first_order_day THEN NEW.day ELSE first_order_day END,
    last_order_day = CASE WHEN last_order_day IS NULL OR NEW.day > last_order_day THEN NEW.day ELSE last_order_day END
  WHERE id = NEW.customer_id;
END;
CREATE TRIGGER orders_after_delete AFTER DELETE ON orders BEGIN
  UPDATE customers SET
    order_count = order_count - 1,
    order_total = order_total - OLD.amount,
    first_order_day = (SELECT min(day) FROM orders WHERE customer_id = OLD.customer_id),
    last_order_day = (SELECT max(day) FROM orders WHERE customer_id = OLD.customer_id)
  WHERE id = OLD.customer_id;
END;
CREATE TRIGGER orders_after_update AFTER UPDATE OF customer_id, amount, day ON orders BEGIN
  UPDATE customers SET (order_count, order_total, first_order_day, last_order_day) =
    (SELECT count(*), coalesce(sum(amount), 0), min(day), max(day) FROM orders WHERE customer_id = customers.id)
  WHERE id IN (OLD.customer_id, NEW.customer_id);
END;

CREATE TABLE interactions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  type        TEXT NOT NULL CHECK (type IN ('call', 'visit', 'message', 'email', 'other')),
  note        TEXT,
  at          TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX interactions_customer_at ON interactions (customer_id, at);
CREATE INDEX interactions_at ON interactions (at);

-- Search index (see src/core/search.ts): contentless, rowid = customers.id.
CREATE VIRTUAL TABLE customer_search USING fts5 (
  name, contact, body,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
`;
