#!/usr/bin/env node
// Benchmarks for crm, printed as Markdown for docs/benchmarks.md.
//
//   npm run bench                         # 1,000,000 customers (generated once into bench/data/)
//   npm run bench -- --customers 100000   # another size
//   npm run bench -- --runs 50            # more repetitions per query
//   npm run bench -- --only import        # one section: find, startup, import, dedupe, rfm, reads, clv, remind or complaint
//   npm run bench -- --only reads,clv --base /tmp/crm-base   # the commands reading every order, against another build
//   npm run bench -- --only complaint --keep   # leave the section's copy of the shop in bench/data (to look into it)
//   npm run bench -- --only startup --base /tmp/crm-base --shop /tmp/find-1m.db   # another build in the same loop; the shop to time find on (a copy: find brings an older file to the schema)
//
// Data: `crm demo --customers N --seed 1` is the generator (deterministic for a seed and a day;
// CRM_NOW is pinned here so the same command always builds the same shop).
// Measured: database generation time and peak RSS; `crm find` latency per query (in-process, the
// store's search as the command calls it, and the whole command as a process); start-up of
// `crm --help` against a bare `node -e ''`; `crm import customers` of the shop's own export against
// the sqlite3 shell's `.import` of the same file (needs the sqlite3 command: apt-get install sqlite3);
// `crm dedupe train` and `crm dedupe` on labelled lists of N people from two generators (tests/generators/dupes.ts,
// dupes-other.ts) and the FEBRL sets (`--sets gen,other,febrl3,febrl1`): time, memory, precision, recall;
// `crm rfm` and `crm rfm --save` on N customers who buy more often (`crm demo --order-rate`, ~10 orders each);
// `crm clv --save` on the same shop, and what fitting on a sample does to the parameters;
// `crm remind due` with the default rules on N customers (a plain day and Spring Festival, when every
// contactable customer is due), and `crm remind run` delivering to the SMS outbox on N/10 customers;
// `crm complaint list --overdue` and `crm complaint stats` with N/10 complaints on the shop of N customers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'crm.js');
const NOW = '2026-11-22T10:00:00+08:00';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const customers = Number(arg('customers', '1000000'));
const seed = Number(arg('seed', '1'));
const runs = Number(arg('runs', '30'));
const only = arg('only', 'find,startup,import,dedupe,rfm,reads,clv,remind,complaint').split(',');
// The RFM section's shop buys more often: 1,000,000 customers, about 10,000,000 orders.
const orderRate = arg('order-rate', '1.37');
const env = { ...process.env, CRM_NOW: NOW, TZ: 'Asia/Shanghai', LANG: 'en_US.UTF-8' };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => x.toFixed(x < 10 ? 2 : 1);

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { t, r };
}

const lines = [];
const out = (s = '') => {
  lines.push(s);
  console.log(s);
};

out(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
out(`Command: \`npm run bench -- --customers ${customers} --runs ${runs}\``);
out();

// 1. The data.
fs.mkdirSync(path.join(ROOT, 'bench', 'data'), { recursive: true });
const db = path.join(ROOT, 'bench', 'data', `demo-${customers}-s${seed}.db`);
if (!fs.existsSync(db) && only.some((x) => x === 'find' || x === 'import')) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const cmd = haveTime ? '/usr/bin/time' : process.execPath;
  const args = [...(haveTime ? ['-v', process.execPath] : []), BIN, '--db', db, 'demo', '--customers', String(customers), '--seed', String(seed)];
  console.error(`generating ${db} …`);
  const { t, r } = timed(cmd, args);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  out(`## Generating the shop: \`crm demo --customers ${customers} --seed ${seed}\``);
  out();
  out(r.stdout.split('\n')[1] ?? '');
  out();
  out(`| wall time | peak RSS | file size |`);
  out(`|---|---|---|`);
  out(`| ${(t / 1000).toFixed(1)} s | ${rss ? `${Math.round(Number(rss) / 1024)} MB` : 'n/a'} | ${Math.round(fs.statSync(db).size / 2 ** 20)} MB |`);
  out();
}

// 2. Search latency, in-process: what `crm find` spends once Node and the modules are loaded.
if (only.includes('find')) {
const { openDatabase } = await import(path.join(ROOT, 'dist/store/db.js'));
const { searchCustomers, getCustomer } = await import(path.join(ROOT, 'dist/store/customer.js'));
const { planSearch } = await import(path.join(ROOT, 'dist/core/search.js'));
const handle = openDatabase(db);
const sample = getCustomer(handle, Math.floor(customers / 2)) ?? getCustomer(handle, 1);
// A Chinese name from the data, for realistic 2- and 3-character queries.
const chinese = handle.prepare("SELECT name FROM customers WHERE id > ? AND length(name) = 3 AND name GLOB '[一-龥]*' LIMIT 1").get(Math.floor(customers / 4))?.name ?? '张小明';
const phone = sample.phones[0]?.e164 ?? '+8613800138000';
const national = phone.replace(/^\+86/, '');
const withEmail = handle.prepare('SELECT email FROM customers WHERE email IS NOT NULL AND id > ? LIMIT 1').get(Math.floor(customers / 3));
const queries = [
  ['surname, 1 character', '张'],
  ['given-name character, 1', '明'],
  ['given name, 2 characters', chinese.slice(1)],
  ['full name, 2 characters', '张伟'],
  ['full name, 3 characters', chinese],
  ['not a name start, 2 characters', '小明'],
  ['compound surname', '欧阳'],
  ['rare character', '龚'],
  ['whole phone', national],
  ['phone, last 4 digits', national.slice(-4)],
  ['phone, first 7 digits', national.slice(0, 7)],
  ['whole email', withEmail?.email ?? 'a@qq.com'],
  ['latin prefix', 'emi'],
  ['two latin words', 'emily chen'],
  ['tag (10% of customers)', 'VIP'],
  ['note word', '绿茶'],
  ['no match', '龘'],
];
out(`## \`crm find\` on ${customers.toLocaleString('en-US')} customers (limit 20)`);
out();
out('In-process latency of the search (plan + SQL + loading the 20 rows), ' + runs + ' runs after 3 warm-up runs:');
out();
out('| query | text | results | median ms | p95 ms | max ms |');
out('|---|---|---|---|---|---|');
const medians = [];
for (const [label, text] of queries) {
  const plan = planSearch(text, 'CN');
  let n = 0;
  for (let i = 0; i < 3; i++) n = searchCustomers(handle, plan, 20).length;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    searchCustomers(handle, planSearch(text, 'CN'), 20);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  medians.push(median(times));
  out(`| ${label} | ${text} | ${n} | ${ms(median(times))} | ${ms(pct(times, 95))} | ${ms(Math.max(...times))} |`);
}
out();
out(`Median over all queries: ${ms(median(medians))} ms; slowest query median: ${ms(Math.max(...medians))} ms.`);
handle.close();
out();
}

// 3. Whole commands as processes (Node start-up included): `crm --help` against a bare Node, and
// `crm find` for each query of the list against `crm --help` in the same loop (the machine's load
// moves both alike: the ratio is the figure). Target: every query within 1.5× of `crm --help`.
// `--base <checkout>` runs another build (its bin/crm.js) in the same loop, against its own --help:
// before and after a change, measured at the same moments.
if (only.includes('startup')) {
const K = Math.max(10, Math.min(runs, 30));
// --shop: another file than the generated one (a copy to time on, so that no build writes the original).
const shop = arg('shop', db);
const { default: Database } = await import('better-sqlite3');
const look = new Database(shop, { readonly: true });
const email = look.prepare("SELECT email FROM customers WHERE email LIKE '%@163.com' LIMIT 1").pluck().get() ?? 'linchen@163.com';
look.close();
const texts = ['张', '王', '晓东', '张伟', '13800', '13800138000', '6978', 'u12345', 'emily', 'emi', 'VIP', '绿茶', email];
const formats = ['table', 'json'];
const base = arg('base', undefined);
const builds = [...(base ? [{ name: 'base', bin: path.join(path.resolve(base), 'bin', 'crm.js') }] : []), { name: 'this', bin: BIN }].map((b) => ({
  ...b,
  help: [],
  find: texts.flatMap((text) => formats.map((format) => ({ text, format, times: [] }))),
}));
const bare = [];
for (let i = 0; i < K; i++) {
  bare.push(timed(process.execPath, ['-e', '']).t);
  for (const b of builds) {
    b.help.push(timed(process.execPath, [b.bin, '--help']).t);
    for (const f of b.find) f.times.push(timed(process.execPath, [b.bin, '--db', shop, 'find', f.text, '--format', f.format]).t);
  }
}
const ratio = (x, y) => `${(x / y).toFixed(2)}×`;
out(`## Start-up (${K} runs each, median wall time)`);
out();
out('| command | median ms | vs bare node |');
out('|---|---|---|');
out(`| \`node -e ''\` | ${ms(median(bare))} | 1.00× |`);
for (const b of builds) out(`| \`crm --help\`${base ? ` (${b.name})` : ''} | ${ms(median(b.help))} | ${ratio(median(b.help), median(bare))} |`);
out();
out(`\`crm find <text> --format table|json\` on ${customers.toLocaleString('en-US')} customers${shop !== db ? ` (${shop})` : ''}, against \`crm --help\` in the same loop${base ? ` (base: ${base})` : ''}:`);
out();
out(`| text | format |${builds.map((b) => ` ${base ? `${b.name} ` : ''}ms | vs --help |`).join('')}`);
out(`|---|---|${builds.map(() => '---|---|').join('')}`);
for (const text of texts) {
  for (const format of formats) {
    const cells = builds.map((b) => {
      const t = median(b.find.find((f) => f.text === text && f.format === format).times);
      return ` ${ms(t)} | ${ratio(t, median(b.help))} |`;
    });
    out(`| ${text} | ${format} |${cells.join('')}`);
  }
}
out();
for (const b of builds) {
  const worst = b.find.map((f) => ({ ...f, r: median(f.times) / median(b.help) })).sort((x, y) => y.r - x.r)[0];
  const within = b.find.filter((f) => median(f.times) / median(b.help) <= 1.5).length;
  out(`${base ? `${b.name}: ` : ''}${within} of ${b.find.length} within 1.5× of \`crm --help\`; slowest \`crm find ${worst.text} --format ${worst.format}\`, ${worst.r.toFixed(2)}×.`);
}
out();
}

// 4. Import: the shop's own export read back into an empty database, against the sqlite3 shell.
if (only.includes('import')) {
  const csv = path.join(ROOT, 'bench', 'data', `customers-${customers}-s${seed}.csv`);
  if (!fs.existsSync(csv)) timed(process.execPath, [BIN, '--db', db, 'export', 'customers', '--out', csv]);
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssOf = (stderr) => {
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
    return kb ? `${Math.round(Number(kb) / 1024)} MB` : 'n/a';
  };
  const fresh = (name) => {
    const f = path.join(os.tmpdir(), `crm-bench-${process.pid}-${name}.db`);
    for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true });
    return f;
  };
  const target = fresh('import');
  const imp = timed(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, '--db', target, 'import', 'customers', csv]);
  out(`## \`crm import customers\`: ${customers.toLocaleString('en-US')} rows, ${Math.round(fs.statSync(csv).size / 2 ** 20)} MB (the demo shop's own export)`);
  out();
  out('| what | wall time | peak RSS |');
  out('|---|---|---|');
  out(`| \`crm import customers ${path.basename(csv)}\` (every row parsed, normalized, validated, matched; search index built) | ${(imp.t / 1000).toFixed(1)} s | ${rssOf(imp.r.stderr)} |`);
  const sqlite = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (sqlite.status === 0) {
    const header = fs.readFileSync(csv, 'utf8').slice(0, 4096).split('\n')[0].replace(/^\uFEFF/, '').split(',');
    const cols = header.map((h) => `"${h.replace(/"/g, '""')}" TEXT`).join(', ');
    const script = [
      `CREATE TABLE customers (${cols});`,
      '.import --csv --skip 1 ' + csv + ' customers',
      'CREATE INDEX c_name ON customers (name);',
      'CREATE INDEX c_phone ON customers (phone);',
      'CREATE INDEX c_email ON customers (email);',
      'CREATE INDEX c_ext ON customers (external_id);',
      'CREATE INDEX c_city ON customers (city);',
      'CREATE INDEX c_created ON customers (created_at);',
    ].join('\n');
    const shell = (name, sql) => {
      const shellDb = fresh(name);
      const t0 = process.hrtime.bigint();
      const sh = spawnSync(haveTime ? '/usr/bin/time' : 'sqlite3', [...(haveTime ? ['-v', 'sqlite3'] : []), shellDb], { input: sql, encoding: 'utf8' });
      const t = Number(process.hrtime.bigint() - t0) / 1e6;
      fs.rmSync(shellDb, { force: true });
      return { t, rss: rssOf(sh.stderr) };
    };
    const version = sqlite.stdout.split(' ')[0];
    const plain = shell('shell', script);
    const fts = shell(
      'shell-fts',
      `${script}\nCREATE VIRTUAL TABLE customer_search USING fts5 (name, phone, email, note, tags, tokenize = 'unicode61 remove_diacritics 2');\nINSERT INTO customer_search (rowid, name, phone, email, note, tags) SELECT rowid, name, phone, email, note, tags FROM customers;`,
    );
    // Issue 18's reference: the shell with an FTS5 index over name, phone and email.
    const fts3 = shell(
      'shell-fts3',
      `${script}\nCREATE VIRTUAL TABLE customer_search USING fts5 (name, phone, email, tokenize = 'unicode61 remove_diacritics 2');\nINSERT INTO customer_search (rowid, name, phone, email) SELECT rowid, name, phone, email FROM customers;`,
    );
    out(`| \`sqlite3 ${version}\`: \`.import --csv\` into a table of the file's columns (all TEXT) with the same indexes as crm's customers table | ${(plain.t / 1000).toFixed(1)} s | ${plain.rss} |`);
    out(`| the same, plus an FTS5 index of name, phone and email filled by one INSERT … SELECT (issue 18's reference) | ${(fts3.t / 1000).toFixed(1)} s | ${fts3.rss} |`);
    out(`| the same, plus an FTS5 index of name, phone, email, note and tags | ${(fts.t / 1000).toFixed(1)} s | ${fts.rss} |`);
    out();
    out(`Ratio: crm import / sqlite3 shell = ${(imp.t / plain.t).toFixed(2)}× (plain table), ${(imp.t / fts3.t).toFixed(2)}× (FTS5 over name, phone, email: target 3×), ${(imp.t / fts.t).toFixed(2)}× (FTS5 over five columns).`);
    out();
    // Orders: ten a customer over three years (bench/gen-orders.js, a till's export: Chinese headers,
    // national mobiles, yuan, local times), imported into the book just imported, against the shell's
    // plain `.import` of the same file.
    const ordersCsv = path.join(ROOT, 'bench', 'data', `orders-${customers * 10}-s${seed}.csv`);
    if (!fs.existsSync(ordersCsv)) timed(process.execPath, [path.join(ROOT, 'bench', 'gen-orders.js'), target, ordersCsv, String(customers * 10), String(seed)]);
    const book = fresh('orders');
    fs.copyFileSync(target, book);
    const ord = timed(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, '--db', book, 'import', 'orders', ordersCsv]);
    const orderShell = shell('shell-orders', `CREATE TABLE orders ("订单号" TEXT, "手机号" TEXT, "实付金额" TEXT, "下单时间" TEXT, "备注" TEXT);\n.import --csv --skip 1 ${ordersCsv} orders`);
    out(`## \`crm import orders\`: ${(customers * 10).toLocaleString('en-US')} orders, ${Math.round(fs.statSync(ordersCsv).size / 2 ** 20)} MB, into the book of ${customers.toLocaleString('en-US')} customers above`);
    out();
    out('| what | wall time | peak RSS |');
    out('|---|---|---|');
    out(`| \`crm import orders ${path.basename(ordersCsv)}\` (every row parsed and validated, its customer found by phone, one transaction, totals, indexes) | ${(ord.t / 1000).toFixed(1)} s | ${rssOf(ord.r.stderr)} |`);
    out(`| \`sqlite3 ${version}\`: \`.import --csv\` into a plain table of the file's five columns (no checks, no indexes) | ${(orderShell.t / 1000).toFixed(1)} s | ${orderShell.rss} |`);
    out();
    out(`Ratio: crm import orders / sqlite3 shell = ${(ord.t / orderShell.t).toFixed(2)}× (target 4×).`);
    for (const x of [book, `${book}-wal`, `${book}-shm`]) fs.rmSync(x, { force: true });
  } else {
    out();
    out('(sqlite3 shell not installed: `apt-get install sqlite3` for the comparison)');
  }
  for (const x of [target, `${target}-wal`, `${target}-shm`]) fs.rmSync(x, { force: true });
  out();
}
// 5. Dedupe: `crm dedupe` scored against labelled sets (known duplicates, look-alikes that are other people):
// (gen) tests/generators/dupes.ts with N people, (other) tests/generators/dupes-other.ts with N people (written
// apart from it: other names, birthdays, kinds and rates of mistake), (febrl3, febrl1) the FEBRL sets in
// tests/fixtures/febrl/. Choose with --sets gen,other,febrl3,febrl1 (default all). Each set: the default listing
// and the certain matches only (what --auto merges), with time, memory, precision and recall over pairs.
if (only.includes('dedupe')) {
  // The flags of the "certain only" run: what `crm dedupe --auto` merges.
  const CERTAIN_ARGS = ['--min-score', '1'];
  const SETS = ['gen', 'other', 'febrl3', 'febrl1'];
  const sets = arg('sets', SETS.join(',')).split(',').filter(Boolean);
  for (const s of sets) if (!SETS.includes(s)) throw new Error(`--sets: unknown set "${s}" (use ${SETS.join(',')})`);
  // The labelled-list generators are test code (tests/generators/, not shipped in dist/): compiled here into bench/build/.
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'bench', 'tsconfig.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`compiling tests/generators failed: ${tsc.stdout}${tsc.stderr}`);
  const { generateLabelled } = await import(path.join(ROOT, 'bench/build/tests/generators/dupes.js'));
  const { generateOther } = await import(path.join(ROOT, 'bench/build/tests/generators/dupes-other.js'));
  const Papa = (await import('papaparse')).default;
  const Database = (await import('better-sqlite3')).default;
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssOf = (stderr) => {
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
    return kb ? `${Math.round(Number(kb) / 1024)} MB` : 'n/a';
  };
  /** A generated list written once to bench/data/ as CSV, with its truth (the entity) in a column of its own. */
  const labelledCsv = (file, rows) => {
    if (fs.existsSync(file)) return file;
    const part = `${file}.part`;
    const fd = fs.openSync(part, 'w');
    let batch = [];
    let header = true;
    const flush = () => {
      fs.writeSync(fd, `${Papa.unparse(batch, { header, newline: '\n' })}\n`);
      [batch, header] = [[], false];
    };
    for (const r of rows) {
      batch.push({ ...r.row, truth: String(r.entity) });
      if (batch.length === 10_000) flush();
    }
    if (batch.length) flush();
    fs.closeSync(fd);
    fs.renameSync(part, file);
    return file;
  };
  const data = path.join(ROOT, 'bench', 'data');
  const febrl = path.join(ROOT, 'tests', 'fixtures', 'febrl');
  // Where each set's truth is, in the customers' custom fields as the import keeps them.
  const fromTruth = (f) => f.truth ?? null;
  const fromRecId = (f) => /^rec-(\d+)-/.exec(f.rec_id ?? '')?.[1] ?? null;
  const SOURCES = {
    gen: () => ({
      title: `${customers.toLocaleString('en-US')} people (tests/generators/dupes.ts)`,
      about: `\`tests/generators/dupes.ts\` with ${customers.toLocaleString('en-US')} people, seed ${seed} (every kind of duplicate, look-alikes)`,
      csv: labelledCsv(path.join(data, `labelled-${customers}-s${seed}.csv`), generateLabelled({ people: customers, seed })),
      truthOf: fromTruth,
    }),
    other: () => ({
      title: `${customers.toLocaleString('en-US')} people (tests/generators/dupes-other.ts)`,
      about: `\`tests/generators/dupes-other.ts\` with ${customers.toLocaleString('en-US')} people, seed ${seed} (its own names, birthdays and kinds of duplicate; same-name, twin and spouse look-alikes)`,
      csv: labelledCsv(path.join(data, `labelled-other-${customers}-s${seed}.csv`), generateOther({ people: customers, seed })),
      truthOf: fromTruth,
    }),
    febrl3: () => ({
      title: 'FEBRL dataset3',
      about: '`tests/fixtures/febrl/dataset3.csv` (FEBRL: 2,000 people, 3,000 duplicates; English names, Australian addresses, no phones or emails; truth from rec_id)',
      csv: path.join(febrl, 'dataset3.csv'),
      truthOf: fromRecId,
    }),
    febrl1: () => ({
      title: 'FEBRL dataset1',
      about: '`tests/fixtures/febrl/dataset1.csv` (FEBRL: 500 people, one duplicate each; truth from rec_id)',
      csv: path.join(febrl, 'dataset1.csv'),
      truthOf: fromRecId,
    }),
  };

  const target = path.join(os.tmpdir(), `crm-bench-${process.pid}-dedupe.db`);
  const files = [target, `${target}-wal`, `${target}-shm`];
  const rejects = path.join(os.tmpdir(), `crm-bench-${process.pid}-dedupe-rejects.csv`);
  const summary = [];
  // Precision of no pairs at all is undefined: a dash, not 0.
  const four = (x) => (Number.isNaN(x) ? '—' : x.toFixed(4));
  for (const name of sets) {
    const set = SOURCES[name]();
    for (const x of files) fs.rmSync(x, { force: true });
    // Exit status 2: some rows were refused (FEBRL has a few with no name at all), the others imported.
    const t0 = process.hrtime.bigint();
    const ir = spawnSync(process.execPath, [BIN, '--db', target, 'import', 'customers', set.csv, '--on-conflict', 'new', '--rejects', rejects, '--format', 'json'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
    const imp = { t: Number(process.hrtime.bigint() - t0) / 1e6 };
    fs.rmSync(rejects, { force: true });
    if (ir.status !== 0 && ir.status !== 2) throw new Error(`crm import customers ${set.csv} failed: ${ir.stderr}`);
    const report = JSON.parse(ir.stdout);
    if (!report.imported) throw new Error(`crm import customers ${set.csv} imported nothing: ${ir.stderr}`);
    // The truth, read from the database and then removed from it: the matcher must not see it.
    // (FEBRL's soc_sec_id stays: it is real data a shop could have.)
    const raw = new Database(target);
    const truth = new Map();
    for (const [id, fields] of raw.prepare('SELECT id, fields FROM customers').raw().iterate()) {
      const t = set.truthOf(JSON.parse(fields ?? '{}'));
      if (t === null) throw new Error(`${name}: customer ${id} has no truth in its fields: ${fields}`);
      truth.set(id, String(t));
    }
    raw.prepare("UPDATE customers SET fields = json_remove(fields, '$.truth', '$.rec_id') WHERE fields IS NOT NULL").run();
    const left = raw.prepare("SELECT count(*) FROM customers WHERE json_extract(fields, '$.truth') IS NOT NULL OR json_extract(fields, '$.rec_id') IS NOT NULL").pluck().get();
    if (left !== 0) throw new Error(`${name}: ${left} customers still carry their truth`);
    raw.close();
    const perEntity = new Map();
    for (const t of truth.values()) perEntity.set(t, (perEntity.get(t) ?? 0) + 1);
    let truePairs = 0;
    for (const n of perEntity.values()) truePairs += (n * (n - 1)) / 2;
    // NDJSON, read a line at a time: at a million people the listing (each member's bits) is larger than one string can be.
    const dedupe = async (extra) => {
      const outFile = path.join(os.tmpdir(), `crm-bench-${process.pid}-dedupe.ndjson`);
      const fd = fs.openSync(outFile, 'w');
      const t0 = process.hrtime.bigint();
      const r = spawnSync(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, '--db', target, 'dedupe', '--format', 'ndjson', ...extra], {
        env,
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      const t = Number(process.hrtime.bigint() - t0) / 1e6;
      fs.closeSync(fd);
      if (r.status !== 0) throw new Error(`crm dedupe ${extra.join(' ')} failed: ${r.stderr}`);
      let tp = 0;
      let fp = 0;
      let clusters = 0;
      const lines = readline.createInterface({ input: fs.createReadStream(outFile, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const c = JSON.parse(line);
        clusters++;
        for (let i = 0; i < c.ids.length; i++) for (let j = i + 1; j < c.ids.length; j++) (truth.get(c.ids[i]) === truth.get(c.ids[j]) ? tp++ : fp++);
      }
      const size = fs.statSync(outFile).size;
      fs.rmSync(outFile, { force: true });
      return { t, rss: rssOf(r.stderr), clusters, tp, fp, size, p: tp + fp ? tp / (tp + fp) : NaN, r: tp / Math.max(1, truePairs) };
    };
    // The model fitted and kept first (`crm dedupe train`): both runs then use it, as a shop would.
    const t1 = process.hrtime.bigint();
    const tr = spawnSync(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, '--db', target, 'dedupe', 'train', '--format', 'json'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (tr.status !== 0) throw new Error(`crm dedupe train failed: ${tr.stderr}`);
    const trained = { t: Number(process.hrtime.bigint() - t1) / 1e6, rss: rssOf(tr.stderr) };
    const likely = await dedupe([]);
    const certain = await dedupe(CERTAIN_ARGS);
    const records = report.inserted;
    out(`## \`crm dedupe\`: ${set.title}, ${records.toLocaleString('en-US')} customer records`);
    out();
    out(`The list: ${set.about}; imported with \`--on-conflict new\` in ${(imp.t / 1000).toFixed(1)} s (${records.toLocaleString('en-US')} records${report.rejected ? `; ${report.rejected} rows refused, not counted` : ''}); ${truePairs.toLocaleString('en-US')} true duplicate pairs.`);
    out();
    out('| run | wall time | peak RSS | groups | pairs in groups | wrong pairs | precision | recall |');
    out('|---|---|---|---|---|---|---|---|');
    out(`| \`crm dedupe train\` | ${(trained.t / 1000).toFixed(1)} s | ${trained.rss} | | | | | |`);
    for (const [label, x] of [['`crm dedupe --format ndjson` (default)', likely], [`\`crm dedupe --format ndjson ${CERTAIN_ARGS.join(' ')}\` (certain only: what --auto merges)`, certain]]) {
      out(`| ${label} | ${(x.t / 1000).toFixed(1)} s | ${x.rss} | ${x.clusters.toLocaleString('en-US')} | ${(x.tp + x.fp).toLocaleString('en-US')} | ${x.fp.toLocaleString('en-US')} | ${four(x.p)} | ${four(x.r)} |`);
    }
    out();
    summary.push({ name, records, truePairs, likely, certain });
  }
  if (summary.length > 1) {
    out('### `crm dedupe`: precision and recall on every set');
    out();
    out(`| set | records | true pairs | default: precision | default: recall | certain only (\`${CERTAIN_ARGS.join(' ')}\`): precision | certain only: recall |`);
    out('|---|---|---|---|---|---|---|');
    for (const s of summary) {
      out(`| ${s.name} | ${s.records.toLocaleString('en-US')} | ${s.truePairs.toLocaleString('en-US')} | ${four(s.likely.p)} | ${four(s.likely.r)} | ${four(s.certain.p)} | ${four(s.certain.r)} |`);
    }
    out();
  }
  for (const x of files) fs.rmSync(x, { force: true });
}

// 6. RFM: `crm rfm --save` on N customers and about 10 N orders.
if (only.includes('rfm')) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssOf = (stderr) => {
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : NaN;
  };
  const run = (args) => {
    const r = timed(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, ...args]);
    return { t: r.t, rss: rssOf(r.r.stderr), stdout: r.r.stdout };
  };
  const rfmDb = path.join(ROOT, 'bench', 'data', `demo-${customers}-s${seed}-r${orderRate}.db`);
  let made = null;
  if (!fs.existsSync(rfmDb)) {
    console.error(`generating ${rfmDb} …`);
    made = run(['--db', rfmDb, 'demo', '--customers', String(customers), '--seed', String(seed), '--order-rate', orderRate]);
  }
  const { default: Database } = await import('better-sqlite3');
  const probe = new Database(rfmDb, { readonly: true });
  const orders = probe.prepare('SELECT count(*) FROM orders').pluck().get();
  probe.close();
  out(`## \`crm rfm\`: ${customers.toLocaleString('en-US')} customers, ${orders.toLocaleString('en-US')} orders`);
  out();
  out(`The shop: \`crm demo --customers ${customers} --seed ${seed} --order-rate ${orderRate}\`${made ? ` (generated in ${(made.t / 1000).toFixed(1)} s, ${made.rss} MB)` : ''}. Each command three times; the median run, and the largest peak RSS:`);
  out();
  out('| command | wall time (median of 3) | runs | peak RSS |');
  out('|---|---|---|---|');
  for (const args of [['rfm', '--format', 'json'], ['rfm', '--save'], ['rfm', '--save', '--scheme', 'cn8']]) {
    const xs = [0, 1, 2].map(() => run(['--db', rfmDb, ...args]));
    out(`| \`crm ${args.join(' ')}\` | ${(median(xs.map((x) => x.t)) / 1000).toFixed(2)} s | ${xs.map((x) => (x.t / 1000).toFixed(2)).join(', ')} | ${Math.max(...xs.map((x) => x.rss))} MB |`);
  }
  out();
  // The reference: the same RFM in pandas (bench/rfm-pandas.py; Debian's python3-pandas), on the same orders.
  const py = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { encoding: 'utf8' });
  if (py.status === 0) {
    const ordersCsv = path.join(ROOT, 'bench', 'data', `rfm-orders-${customers}-s${seed}.csv`);
    if (!fs.existsSync(ordersCsv)) fs.writeFileSync(ordersCsv, spawnSync('sqlite3', ['-csv', rfmDb, 'SELECT customer_id, day, amount FROM orders'], { encoding: 'utf8', maxBuffer: 2 ** 31 }).stdout);
    const asOf = NOW.slice(0, 10);
    const start = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
    const ref = [0, 1, 2].map(() => JSON.parse(spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench', 'rfm-pandas.py'), ordersCsv, asOf, start], { encoding: 'utf8' }).stdout));
    const compute = median(ref.map((x) => x.compute_s));
    out(`pandas (bench/rfm-pandas.py, the same orders): read_csv ${median(ref.map((x) => x.read_csv_s)).toFixed(2)} s, RFM compute ${compute.toFixed(2)} s (runs ${ref.map((x) => x.compute_s).join(', ')}).`);
    out();
  } else {
    out('(pandas not installed: `apt-get install python3-pandas` for the reference)');
    out();
  }
}

// 6b. The other commands that read every order, on the RFM section's shop: stages (stats, customer
// list --stage), the stats periods, the tier spends. `--base <checkout>` runs another build's the
// same commands, alternating with this one's, as the reference (docs/benchmarks.md, issue 18).
if (only.includes('reads')) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssOf = (stderr) => Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024);
  const rfmDb = path.join(ROOT, 'bench', 'data', `demo-${customers}-s${seed}-r${orderRate}.db`);
  if (!fs.existsSync(rfmDb)) throw new Error(`run --only rfm first: it generates ${rfmDb}`);
  const base = arg('base', undefined);
  const builds = [...(base ? [{ name: 'base', bin: path.join(path.resolve(base), 'bin', 'crm.js') }] : []), { name: 'this', bin: BIN }];
  const commands = [
    ['stats', '--format', 'json'],
    ['stats', '--period', 'year', '--format', 'json'],
    ['customer', 'list', '--stage', 'at-risk', '--limit', '5'],
    ['tier', 'abc', '--format', 'json'],
    ['tier', 'apply', '--dry-run', '--format', 'csv'],
  ];
  const run = (bin, args) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), bin, '--db', rfmDb, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`crm ${args.join(' ')} failed: ${r.stderr}`);
    return { t, rss: rssOf(r.stderr) };
  };
  out(`## Commands that read every order: the RFM section's shop (${customers.toLocaleString('en-US')} customers)`);
  out();
  out(`Three runs each, alternating${base ? ` with the base build (${base})` : ''}; the median, and the largest peak RSS.`);
  out();
  out(`| command |${builds.map((b) => ` ${base ? `${b.name} ` : ''}wall time | peak RSS |`).join('')}${base ? ' this / base |' : ''}`);
  out(`|---|${builds.map(() => '---|---|').join('')}${base ? '---|' : ''}`);
  for (const args of commands) {
    const xs = builds.map(() => []);
    for (let i = 0; i < 3; i++) builds.forEach((b, k) => xs[k].push(run(b.bin, args)));
    const med = xs.map((x) => median(x.map((y) => y.t)));
    out(`| \`crm ${args.join(' ')}\` |${xs.map((x, k) => ` ${(med[k] / 1000).toFixed(2)} s | ${Math.max(...x.map((y) => y.rss))} MB |`).join('')}${base ? ` ${(med[1] / med[0]).toFixed(2)}× |` : ''}`);
  }
  out();
}

// 7. CLV: `crm clv --save` on the RFM section's shop, and the parameters fitted on samples against all customers.
if (only.includes('clv')) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const rfmDb = path.join(ROOT, 'bench', 'data', `demo-${customers}-s${seed}-r${orderRate}.db`);
  if (!fs.existsSync(rfmDb)) throw new Error(`run --only rfm first: it generates ${rfmDb}`);
  const rssOf = (stderr) => Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024);
  // --base: another build's `crm clv --save` alternating with this one's, as the reference.
  const base = arg('base', undefined);
  const builds = [...(base ? [{ name: 'base', bin: path.join(path.resolve(base), 'bin', 'crm.js') }] : []), { name: 'this', bin: BIN }].map((b) => ({ ...b, xs: [] }));
  for (let i = 0; i < 3; i++) {
    for (const b of builds) {
      const r = timed(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), b.bin, '--db', rfmDb, 'clv', '--save']);
      b.xs.push({ t: r.t, rss: rssOf(r.r.stderr) });
    }
  }
  out(`## \`crm clv --save\`: the RFM section's shop (${customers.toLocaleString('en-US')} customers, about 10 orders each)`);
  out();
  out('| command | wall time (median of 3) | runs | peak RSS |');
  out('|---|---|---|---|');
  for (const b of builds) out(`| \`crm clv --save\` (weeks, 12 months${base ? `; ${b.name}` : ''}) | ${(median(b.xs.map((x) => x.t)) / 1000).toFixed(1)} s | ${b.xs.map((x) => (x.t / 1000).toFixed(1)).join(', ')} | ${Math.max(...b.xs.map((x) => x.rss))} MB |`);
  out();
  // In-process: the same store and core calls the command makes, timed, and fits on samples of several sizes.
  const { openDatabase } = await import(path.join(ROOT, 'dist/store/db.js'));
  const { purchaseSummary } = await import(path.join(ROOT, 'dist/store/clv.js'));
  const clv = await import(path.join(ROOT, 'dist/core/clv/index.js'));
  const handle = openDatabase(rfmDb);
  let t0 = performance.now();
  const summary = await purchaseSummary(handle, '2026-11-22', '2025-11-22');
  const readMs = performance.now() - t0;
  handle.close();
  const d = clv.repeatData(summary, 7);
  const spend = clv.repeatSpend(summary, 2);
  out(`Reading the purchase summary of ${summary.ids.length.toLocaleString('en-US')} customers: ${(readMs / 1000).toFixed(1)} s. Fits on samples (weeks; seeds 1-3) against all customers:`);
  out();
  out('| customers fitted | seed | r | alpha | a | b | p | q | v | fit time |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  const fmt = (x) => x.toPrecision(4);
  for (const [size, seeds] of [[summary.ids.length, [1]], [200000, [1, 2, 3]], [50000, [1, 2, 3]], [10000, [1, 2, 3]]]) {
    for (const s of seeds) {
      t0 = performance.now();
      const m = clv.fitModels(d, spend, { sample: size, seed: s });
      const ms = performance.now() - t0;
      const bg = m.bgnbd.params;
      const gg = m.gammaGamma.params;
      out(`| ${size === summary.ids.length ? `all ${size.toLocaleString('en-US')}` : size.toLocaleString('en-US')} | ${size === summary.ids.length ? '—' : s} | ${fmt(bg.r)} | ${fmt(bg.alpha)} | ${fmt(bg.a)} | ${fmt(bg.b)} | ${fmt(gg.p)} | ${fmt(gg.q)} | ${fmt(gg.v)} | ${(ms / 1000).toFixed(1)} s${m.reason ? ` (${m.reason})` : ''} |`);
    }
  }
  out();
}

// 8. Reminders: `crm remind due` with the default rules on the shop of N customers (a copy: opening
// it migrates the schema), on a plain day and on Spring Festival (every contactable customer is due);
// `crm remind run` delivering a holiday greeting to the SMS outbox on a shop of N/10 customers.
if (only.includes('remind')) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssOf = (stderr) => Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024);
  const data = path.join(ROOT, 'bench', 'data');
  /** One command, stdout to a file (a million rows), timed, with its peak RSS. */
  const run = (args, now, stdoutFile = '/dev/null') => {
    const fd = fs.openSync(stdoutFile, 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, ...args], { env: { ...env, CRM_NOW: now }, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    fs.closeSync(fd);
    if (r.status !== 0) throw new Error(`crm ${args.join(' ')} failed: ${r.stderr}`);
    return { t, rss: rssOf(r.stderr) };
  };
  const lineCount = (file) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  const shop = (n) => {
    const src = path.join(data, `demo-${n}-s${seed}.db`);
    if (!fs.existsSync(src)) {
      console.error(`generating ${src} …`);
      run(['--db', src, 'demo', '--customers', String(n), '--seed', String(seed)], NOW);
    }
    const copy = path.join(data, `remind-${n}.db`);
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(src, copy);
    return copy;
  };
  const big = shop(customers);
  out(`## \`crm remind\`: the default rules on ${customers.toLocaleString('en-US')} customers`);
  out();
  out('Each command on a fresh copy of the demo shop (opening it runs the schema migration first, timed separately); rows counted from the CSV written.');
  out();
  out('| command | CRM_NOW | rows | wall time | peak RSS |');
  out('|---|---|---|---|---|');
  const m = run(['--db', big, 'config', 'get', 'timezone'], NOW);
  out(`| first open (the migrations to the current schema) | | | ${(m.t / 1000).toFixed(2)} s | ${m.rss} MB |`);
  for (const [label, now] of [['a plain day', '2026-11-23T10:00:00+08:00'], ['Spring Festival', '2027-02-06T10:00:00+08:00']]) {
    const file = path.join(data, 'remind-due.csv');
    const xs = [0, 1, 2].map(() => run(['--db', big, 'remind', 'due', '--format', 'csv'], now, file));
    const rows = lineCount(file) - 1;
    out(`| \`crm remind due --format csv\` (${label}) | ${now} | ${rows.toLocaleString('en-US')} | ${(median(xs.map((x) => x.t)) / 1000).toFixed(2)} s (${xs.map((x) => (x.t / 1000).toFixed(2)).join(', ')}) | ${Math.max(...xs.map((x) => x.rss))} MB |`);
    fs.rmSync(file, { force: true });
  }
  out();
  const small = Math.max(1000, Math.round(customers / 10));
  const runDb = shop(small);
  const outbox = path.join(data, 'remind-outbox');
  fs.rmSync(outbox, { recursive: true, force: true });
  run(['--db', runDb, 'config', 'set', 'outbox_dir', outbox], NOW);
  run(['--db', runDb, 'remind', 'rules', 'holiday', '--channel', 'outbox'], NOW);
  run(['--db', runDb, 'remind', 'rules', 'birthday', '--off'], NOW);
  const sent = run(['--db', runDb, 'remind', 'run'], '2027-02-06T10:00:00+08:00');
  const lines = fs.readdirSync(outbox).reduce((n, f) => n + lineCount(path.join(outbox, f)) - 1, 0);
  out(`\`crm remind run\` on ${small.toLocaleString('en-US')} customers, Spring Festival to the SMS outbox: ${lines.toLocaleString('en-US')} messages in ${(sent.t / 1000).toFixed(1)} s (${Math.round(lines / (sent.t / 1000)).toLocaleString('en-US')} a second), peak RSS ${sent.rss} MB.`);
  out();
  for (const f of [big, runDb]) for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true });
  fs.rmSync(outbox, { recursive: true, force: true });
}

// 9. Complaints: N/10 complaints over the last year on the shop of N customers (a copy), written
// straight into the tables as crm keeps them (a timeline of created, ack, resolve, close for those
// handled; open ones with their deadlines, some past), then the overdue listing and the report.
if (only.includes('complaint')) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssOf = (stderr) => Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024);
  const data = path.join(ROOT, 'bench', 'data');
  const src = path.join(data, `demo-${customers}-s${seed}.db`);
  if (!fs.existsSync(src)) throw new Error(`run --only find first: it generates ${src}`);
  const db = path.join(data, `complaint-${customers}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(src, db);
  const run = (args, stdoutFile = '/dev/null') => {
    const fd = fs.openSync(stdoutFile, 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(haveTime ? '/usr/bin/time' : process.execPath, [...(haveTime ? ['-v', process.execPath] : []), BIN, '--db', db, ...args], { env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    fs.closeSync(fd);
    if (r.status !== 0) throw new Error(`crm ${args.join(' ')} failed: ${r.stderr}`);
    return { t, rss: rssOf(r.stderr) };
  };
  run(['config', 'get', 'timezone']); // the migrations
  const n = Math.max(1000, Math.round(customers / 10));
  const { default: Database } = await import('better-sqlite3');
  const h = new Database(db);
  let x = seed * 7919;
  const rnd = () => ((x = (x * 48271) % 2147483647) / 2147483647);
  const nowMs = Date.parse(NOW);
  const iso = (ms) => new Date(ms).toISOString();
  const severities = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];
  const hours = { low: 24, normal: 24, high: 8, urgent: 2 };
  const categories = ['product_quality', 'delivery', 'service_attitude', 'price', 'other'];
  const channels = ['phone', 'in_store', 'wechat', 'online_review', 'email', 'other'];
  const t0 = performance.now();
  h.transaction(() => {
    const ins = h.prepare(`INSERT INTO complaints (customer_id, channel, category, severity, description, status, created_at, updated_at, first_response_at,
      last_reply_at, resolved_at, closed_at, respond_due, solve_due, due_at, clock, satisfaction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`);
    const ev = h.prepare('INSERT INTO complaint_events (complaint_id, at, kind, from_status, to_status, data) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < n; i++) {
      const sev = severities[Math.floor(rnd() * severities.length)];
      const created = nowMs - Math.floor(rnd() * 365 * 86400000);
      const open = created > nowMs - 10 * 86400000 && rnd() < 0.6;
      const respondDue = created + hours[sev] * 3600000;
      const solveDue = created + hours[sev] * 3 * 3600000;
      const responded = open && rnd() < 0.5 ? null : created + Math.floor(rnd() * hours[sev] * 1.3 * 3600000);
      const resolved = open ? null : created + Math.floor(rnd() * hours[sev] * 4 * 3600000);
      const due = open ? iso(Math.min(responded === null ? respondDue : Infinity, solveDue)) : null;
      const id = Number(ins.run(1 + Math.floor(rnd() * customers), channels[Math.floor(rnd() * channels.length)], categories[Math.floor(rnd() * categories.length)], sev, '货有问题',
        open ? (responded ? 'in_progress' : 'open') : 'closed', iso(created), iso(resolved ?? created), responded ? iso(responded) : null, responded ? iso(responded) : null,
        resolved ? iso(resolved) : null, resolved ? iso(resolved + 86400000) : null, open && !responded ? iso(respondDue) : null, open ? iso(solveDue) : null, due, resolved ? 3 + Math.floor(rnd() * 3) : null).lastInsertRowid);
      ev.run(id, iso(created), 'created', null, 'open', JSON.stringify({ respondDue: iso(respondDue), solveDue: iso(solveDue) }));
      if (responded) ev.run(id, iso(responded), 'ack', 'open', 'acknowledged', JSON.stringify({ respondDue: iso(respondDue) }));
      if (resolved) {
        ev.run(id, iso(resolved), 'resolve', 'acknowledged', 'resolved', JSON.stringify({ solveDue: iso(solveDue) }));
        ev.run(id, iso(resolved + 86400000), 'close', 'resolved', 'closed', null);
      }
    }
  })();
  h.close();
  const made = performance.now() - t0;
  out(`## \`crm complaint\`: ${n.toLocaleString('en-US')} complaints on ${customers.toLocaleString('en-US')} customers`);
  out();
  out(`Written straight into a copy of the demo shop in ${(made / 1000).toFixed(1)} s (over the last year; about 60% of the last 10 days' still open, some past their deadlines). Each command three times:`);
  out();
  out('| command | wall time (median of 3) | runs | peak RSS | target |');
  out('|---|---|---|---|---|');
  for (const [args, target] of [[['complaint', 'list', '--overdue', '--format', 'csv'], 'under 1 s'], [['complaint', 'stats', '--period', 'quarter', '--format', 'json'], 'under 3 s'], [['complaint', 'stats', '--format', 'json'], 'under 3 s']]) {
    const xs = [0, 1, 2].map(() => run(args));
    out(`| \`crm ${args.join(' ')}\` | ${(median(xs.map((y) => y.t)) / 1000).toFixed(2)} s | ${xs.map((y) => (y.t / 1000).toFixed(2)).join(', ')} | ${Math.max(...xs.map((y) => y.rss))} MB | ${target} |`);
  }
  out();
  if (!process.argv.includes('--keep')) for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
}

fs.writeFileSync(path.join(ROOT, 'bench', 'data', `last-run-${customers}.md`), `${lines.join('\n')}\n`);
console.error(`written to bench/data/last-run-${customers}.md`);
