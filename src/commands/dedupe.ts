// crm dedupe [--review | --auto], dedupe train, dedupe model, dedupe history, dedupe undo, dedupe
// distinct: finding duplicate customers, merging them (by hand, cluster by cluster, or automatically
// above a probability), the match model that weighs them, and undoing.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import type { Customer } from '../core/customer.js';
import { formatLocal, isoInZone } from '../core/dates.js';
import { BUILT_IN_FIELDS, LEVELS, memberFromLinks, priorBits, priorModel, type Cluster, type Contribution, type FieldKind, type MatchModel, type PairScore } from '../core/dedupe/index.js';
import { differences, type MergeField } from '../core/merge.js';
import { BLOCK_CAP, findClusters, keptModel, trainModel, type Found } from '../app/dedupe.js';
import { mergeCluster, mergeClusters } from '../app/merge.js';
import { badInput, failure } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { LONG_LIST_FORMATS, listWriter, renderList, toRecord, type Column, type Format } from '../io/output.js';
import { getCustomers } from '../store/customer.js';
import { getMerge, listMerges, markDistinct, undoMerge, undoProblem, type MergeRecord } from '../store/dedupe.js';
import { customerCount } from '../store/dedupe-model.js';
import { addFormatOption, example, formatOf, listLimit, noteTruncation, parsePositiveInt, prompts, resolveCustomer } from './common.js';

/** A pair is listed from this probability of being one person: the same meaning in every shop. */
const DEFAULT_MIN_SCORE = 0.95;
/** Pairs below this are not kept at all (the listing's --min-score can go no lower). */
const FLOOR = 0.5;

interface FindOptions {
  minScore?: string;
  review?: boolean;
  auto?: boolean;
  limit?: string;
  format?: string;
}

function parseScore(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < FLOOR || n > 1) throw badInput('err.dedupe.minScore', { value: raw, floor: FLOOR });
  return n;
}

/** A field's part in a pair, in words: "same birthday +6.6", "same name (common) +2.0". */
function describeContribution(ctx: Context, c: Contribution): string {
  const custom = c.field.startsWith('field:');
  const kind = custom ? 'custom' : c.field;
  const label = ctx.t(`dedupe.level.${kind}.${c.level}` as MessageId, { field: custom ? c.field.slice(6) : '' });
  if (c.household) return `${label}${ctx.t('dedupe.household')}`;
  const tf = c.tf ? ctx.t('dedupe.tf.common') : '';
  return `${label}${tf} ${signed(c.bits)}`;
}

const signed = (bits: number) => `${bits >= 0 ? '+' : '-'}${Math.abs(bits).toFixed(1)}`;

export function describeReasons(ctx: Context, reasons: Contribution[]): string {
  return reasons.map((r) => describeContribution(ctx, r)).join(', ');
}

/** A probability as shown: three decimals, never rounded up to a certainty it is not. */
export const shownScore = (p: number) => (Math.floor(p * 1000) / 1000).toFixed(3);

interface MemberRow {
  cluster: number;
  cluster_score: number;
  certain: boolean;
  survivor: boolean;
  customer: Customer;
  pair: PairScore | null;
  reasons: string;
}

/** Who a member is: the same columns in the flat listing (table, CSV) and in each group's members (JSON). */
const WHO: Column<MemberRow>[] = [
  { key: 'id', header: 'col.id', value: (r) => r.customer.id, align: 'right' },
  { key: 'name', header: 'col.name', value: (r) => r.customer.name, keep: 2 },
  { key: 'phone', header: 'col.phone', value: (r) => r.customer.phones.map((p) => p.e164), keep: 2 },
  { key: 'email', header: 'col.email', value: (r) => r.customer.email, keep: -1 },
  { key: 'birthday', header: 'col.birthday', value: (r) => r.customer.birthday },
  { key: 'city', header: 'col.city', value: (r) => r.customer.city },
];

/** The flat listing, a member a row (table and CSV). */
const MEMBER_COLUMNS: Column<MemberRow>[] = [
  { key: 'cluster', header: 'col.cluster', value: (r) => r.cluster, align: 'right' },
  { key: 'cluster_score', header: 'col.clusterScore', value: (r) => shownScore(r.cluster_score), align: 'right', keep: -1 },
  { key: 'keep', header: 'col.keep', value: (r) => (r.survivor ? '*' : '') },
  ...WHO,
  { key: 'score', header: 'col.score', value: (r) => (r.pair === null ? '' : shownScore(r.pair.score)), align: 'right' },
  { key: 'reasons', header: 'col.reasons', value: (r) => r.reasons, keep: 1 },
];

/** A member inside its group (JSON, NDJSON): the reasons as ids (with their value) and as words. */
const GROUP_MEMBER_COLUMNS: Column<MemberRow>[] = [
  ...WHO,
  { key: 'score', value: (r) => r.pair?.score ?? null },
  { key: 'weight', value: (r) => (r.pair ? round1(r.pair.weight) : null) },
  { key: 'reasons', value: (r) => (r.pair ? r.pair.reasons.map((x) => ({ ...x, bits: round1(x.bits) })) : []) },
  { key: 'why', value: (r) => r.reasons },
];

const round1 = (x: number) => Math.round(x * 10) / 10;

const PAIR_COLUMNS: Column<PairScore>[] = [
  { key: 'a', value: (p) => p.a },
  { key: 'b', value: (p) => p.b },
  { key: 'score', value: (p) => p.score },
  { key: 'weight', value: (p) => round1(p.weight) },
  { key: 'certain', value: (p) => p.certain },
];

interface GroupRow {
  n: number;
  cluster: Cluster;
  members: MemberRow[];
  pairs: PairScore[];
}

/** A group a record (JSON, NDJSON), its members and the pairs holding it together as lists of records. */
const GROUP_COLUMNS: Column<GroupRow>[] = [
  { key: 'cluster', value: (g) => g.n },
  { key: 'score', value: (g) => g.cluster.confidence },
  { key: 'certain', value: (g) => g.cluster.certain },
  { key: 'survivor', value: (g) => g.cluster.survivor },
  { key: 'ids', value: (g) => g.cluster.ids },
  { key: 'members', value: (g) => g.members.map((m) => toRecord(GROUP_MEMBER_COLUMNS, m)) },
  { key: 'pairs', value: (g) => g.pairs.map((p) => toRecord(PAIR_COLUMNS, p)) },
];

function membersOf(ctx: Context, explain: (id: number) => PairScore | null, c: Cluster, n: number, customers: Map<number, Customer>): MemberRow[] {
  return c.ids.flatMap((id) => {
    const customer = customers.get(id);
    if (!customer) return [];
    const pair = explain(id);
    return [{ cluster: n, cluster_score: c.confidence, certain: c.certain, survivor: id === c.survivor, customer, pair, reasons: pair ? describeReasons(ctx, pair.reasons) : '' }];
  });
}

async function loadMembers(ctx: Context, clusters: Cluster[]): Promise<Map<number, Customer>> {
  const db = await ctx.db();
  return new Map(getCustomers(db, clusters.flatMap((c) => c.ids)).map((c) => [c.id, c]));
}

async function dedupe(ctx: Context, o: FindOptions): Promise<void> {
  if (o.review && o.auto) throw badInput('err.dedupe.reviewAuto');
  if (o.review && !ctx.interactive) throw badInput('err.dedupe.reviewTty', {}, { id: 'hint.dedupe.auto' });
  // A review is a conversation at a terminal: it has no machine format to honour.
  if (o.review && formatOf(o) !== 'table') throw badInput('err.dedupe.reviewFormat', { value: formatOf(o) });
  const format = formatOf(o);
  // --auto merges certain matches unless told a score.
  const minScore = parseScore(o.minScore, o.auto ? 1 : DEFAULT_MIN_SCORE);
  const found = await findClusters(ctx, minScore);
  if (found.fittedNow) ctx.err(ctx.t('dedupe.fittedNow', { customers: found.customers, seconds: found.seconds.toFixed(1) }));
  if (found.tooCommon.size > 0) ctx.err(ctx.t('dedupe.tooCommon', { count: found.tooCommon.size, max: BLOCK_CAP, example: [...found.tooCommon.keys()][0]!.slice(2) }));
  if (o.auto) return autoMerge(ctx, found, minScore, format);
  if (o.review) return review(ctx, found);
  return list(ctx, o, found, minScore);
}

/** Clusters shown a few hundred at a time, with their members read from the store (memory stays flat). */
const PART = 500;

/**
 * The groups, written as they are read: a member a row in a table and CSV, a group a record (with
 * its members and pairs) in JSON and NDJSON.
 */
async function list(ctx: Context, o: FindOptions, found: Found, minScore: number): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const shown = limit === null ? found.clusters : found.clusters.slice(0, limit);
  const grouped = format === 'json' || format === 'ndjson';
  const groups = listWriter(ctx, format, GROUP_COLUMNS);
  const members = listWriter(ctx, format, MEMBER_COLUMNS);
  for (let start = 0; start < shown.length; start += PART) {
    const part = shown.slice(start, start + PART);
    const customers = await loadMembers(ctx, part);
    const rows = part.map((c, i): GroupRow => {
      // JSON lists the group's pairs: each member's reason is one of them, not weighed again.
      const pairs = grouped ? found.links(c) : [];
      const explain = grouped ? (id: number) => memberFromLinks(c, id, pairs) : (id: number) => found.explain(c, id);
      return { n: start + i + 1, cluster: c, members: membersOf(ctx, explain, c, start + i + 1, customers), pairs };
    });
    if (grouped) groups.add(rows);
    else members.add(rows.flatMap((g) => g.members));
  }
  (grouped ? groups : members).end();
  noteTruncation(ctx, o, limit, shown.length, () => found.clusters.length);
  if (format === 'table') {
    const count = found.clusters.reduce((n, c) => n + c.ids.length, 0);
    ctx.err(ctx.t('dedupe.summary', { clusters: found.clusters.length, members: count, customers: found.customers, score: minScore, seconds: found.seconds.toFixed(1) }));
    if (found.clusters.length > 0) ctx.err(ctx.t('hint.dedupe.next'));
  }
}

/** Merges every group; the merges are listed as `dedupe history` lists them, the summary goes to stderr. */
async function autoMerge(ctx: Context, found: Found, minScore: number, format: Format): Promise<void> {
  // Every cluster was formed of links at minScore or more.
  const done = await mergeClusters(ctx, found.clusters, 'auto');
  if (format !== 'table' || done.length > 0) renderList(ctx, format, await mergeColumns(ctx), done);
  const records = done.reduce((n, d) => n + d.mergedIds.length, 0);
  ctx.err(minScore >= 1 ? ctx.t('dedupe.autoSummaryCertain', { clusters: done.length, records }) : ctx.t('dedupe.autoSummary', { clusters: done.length, records, score: minScore }));
}

function describeCustomer(c: Customer): string {
  return [`#${c.id}`, c.name, c.phones.map((p) => p.e164).join(' '), c.email, c.birthday, c.city, c.address, c.externalId].filter(Boolean).join('  ');
}

async function review(ctx: Context, found: Found): Promise<void> {
  const p = await prompts(ctx);
  let merged = 0;
  let skipped = 0;
  let marked = 0;
  for (const [i, c] of found.clusters.entries()) {
    const members = await loadMembers(ctx, [c]);
    const list = c.ids.map((id) => members.get(id)).filter((m): m is Customer => m !== undefined);
    if (list.length < 2) continue;
    ctx.err('');
    ctx.err(ctx.t('dedupe.reviewHead', { n: i + 1, total: found.clusters.length, score: shownScore(c.confidence) }));
    for (const m of list) {
      const pair = found.explain(c, m.id);
      ctx.err(`  ${m.id === c.survivor ? '*' : ' '} ${describeCustomer(m)}${pair ? `\n      ${describeReasons(ctx, pair.reasons)}` : ''}`);
    }
    const action = await p.pick<'merge' | 'fields' | 'skip' | 'distinct' | 'quit'>({
      message: ctx.t('prompt.dedupe.action'),
      choices: [
        { name: ctx.t('prompt.dedupe.merge', { id: c.survivor }), value: 'merge' },
        { name: ctx.t('prompt.dedupe.fields'), value: 'fields' },
        { name: ctx.t('prompt.dedupe.skip'), value: 'skip' },
        { name: ctx.t('prompt.dedupe.distinct'), value: 'distinct' },
        { name: ctx.t('prompt.dedupe.quit'), value: 'quit' },
      ],
    });
    if (action === 'quit') break;
    if (action === 'skip') {
      skipped++;
      continue;
    }
    if (action === 'distinct') {
      markDistinct(await ctx.db(), c.ids, ctx.nowIso());
      marked++;
      continue;
    }
    let survivor = c.survivor;
    const chosen: Partial<Record<MergeField, string>> = {};
    if (action === 'fields') {
      survivor = await p.select<number>({ message: ctx.t('prompt.dedupe.keep'), choices: list.map((m) => ({ name: describeCustomer(m), value: m.id })), default: c.survivor });
      const keep = list.find((m) => m.id === survivor)!;
      for (const d of differences(keep, list.filter((m) => m.id !== survivor))) {
        chosen[d.field] = await p.pick<string>({ message: ctx.t('prompt.dedupe.field', { field: ctx.t(`field.${d.field}` as MessageId) }), choices: d.values.map((v) => ({ name: v, value: v })) });
      }
    }
    const id = await mergeCluster(ctx, survivor, c.ids.filter((x) => x !== survivor), 'review', c.confidence, chosen);
    ctx.err(ctx.t('dedupe.merged', { merge: id, survivor, merged: c.ids.filter((x) => x !== survivor).map((x) => `#${x}`).join(', '), score: shownScore(c.confidence) }));
    merged++;
  }
  ctx.err(ctx.t('dedupe.reviewSummary', { merged, skipped, marked }));
}

/** A merge as `dedupe history` and `dedupe --auto` list it: times in the shop's zone. */
async function mergeColumns(ctx: Context): Promise<Column<MergeRecord>[]> {
  const { timezone } = await ctx.settings();
  const at = (v: string | null) => (v === null ? null : isoInZone(v, timezone));
  const local = (v: string | null) => (v === null ? '' : formatLocal(v, timezone));
  return [
    { key: 'merge', header: 'col.merge', value: (m) => m.id, align: 'right' },
    { key: 'at', header: 'col.at', value: (m) => at(m.at), display: (m) => local(m.at) },
    { key: 'survivor', header: 'col.survivor', value: (m) => m.survivorId, align: 'right' },
    { key: 'merged', header: 'col.merged', value: (m) => m.mergedIds },
    { key: 'how', header: 'col.mergeHow', value: (m) => m.how },
    { key: 'score', header: 'col.score', value: (m) => m.score, display: (m) => (m.score === null ? '' : shownScore(m.score)), align: 'right' },
    { key: 'undone_at', header: 'col.undoneAt', value: (m) => at(m.undoneAt), display: (m) => local(m.undoneAt) },
  ];
}

async function history(ctx: Context, o: { limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const rows = listMerges(await ctx.db(), limit);
  renderList(ctx, format, await mergeColumns(ctx), rows);
  noteTruncation(ctx, o, limit, rows.length);
}

async function undo(ctx: Context, raw: string, o: { force?: boolean }): Promise<void> {
  const id = parsePositiveInt(raw.replace(/^#/, ''), 'merge-id');
  const db = await ctx.db();
  const m = getMerge(db, id);
  if (!m) throw failure('err.undo.notFound', { id }, { id: 'hint.undo.history' });
  const problem = undoProblem(db, m, o.force ?? false);
  if (problem) {
    switch (problem.kind) {
      case 'undone':
        throw failure('err.undo.undone', { id, at: problem.at });
      case 'laterMerge':
        throw failure('err.undo.later', { id, later: problem.merge }, { id: 'hint.undo.later', params: { later: problem.merge } });
      case 'survivorGone':
        throw failure('err.undo.survivorGone', { id, survivor: problem.id });
      case 'idTaken':
        throw failure('err.undo.idTaken', { id, taken: problem.id });
      case 'changedSince':
        throw failure('err.undo.changed', { id, survivor: problem.id, at: problem.at }, { id: 'hint.undo.force' });
    }
  }
  undoMerge(db, m, ctx.nowIso());
  ctx.out(ctx.t('dedupe.undone', { id, survivor: m.survivorId, merged: m.mergedIds.map((x) => `#${x}`).join(', ') }));
}

interface LevelRow {
  field: string;
  kind: FieldKind;
  level: string;
  m: number;
  u: number;
}

const LEVEL_COLUMNS: Column<LevelRow>[] = [
  { key: 'field', header: 'col.field', value: (r) => r.field },
  { key: 'level', header: 'col.agreement', value: (r) => r.level },
  { key: 'm', header: 'col.mSame', value: (r) => Number(r.m.toPrecision(3)), align: 'right' },
  { key: 'u', header: 'col.uTwo', value: (r) => Number(r.u.toPrecision(3)), align: 'right' },
  { key: 'bits', header: 'col.bits', value: (r) => round1(Math.log2(r.m / r.u)), display: (r) => signed(Math.log2(r.m / r.u)), align: 'right' },
];

function levelRows(model: MatchModel): LevelRow[] {
  return model.fields.flatMap((f) => LEVELS[f.kind].map((level, l) => ({ field: f.kind === 'custom' ? `field:${f.key}` : f.kind, kind: f.kind, level, m: f.m[l]!, u: f.u[l]! })));
}

/** What a model was fitted on, and its prior in a shop of this size, on stderr. */
async function describeModel(ctx: Context, model: MatchModel, customers: number): Promise<void> {
  const t = model.training;
  if (!t || !model.trainedAt) ctx.err(ctx.t('dedupe.modelNone'));
  else {
    const { timezone } = await ctx.settings();
    const sessions = t.sessions.map((x) => ctx.t('dedupe.modelSession', { rule: ctx.t(`dedupe.rule.${x.rule}` as MessageId), pairs: x.pairs, matches: x.matches })).join(', ');
    ctx.err(ctx.t('dedupe.modelHead', { at: formatLocal(model.trainedAt, timezone), records: model.records, sessions, random: t.randomPairs, merges: t.labels.merges, distinct: t.labels.distinct }));
  }
  // Two customers at least, for "two picked at random" to mean anything.
  if (customers < 2) return;
  const prior = priorBits(model, customers);
  ctx.err(ctx.t('dedupe.modelPrior', { rate: model.duplicateRate.toFixed(3), records: customers, prior: signed(prior), odds: Math.round(2 ** -prior), threshold: DEFAULT_MIN_SCORE }));
}

async function showModel(ctx: Context, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  const db = await ctx.db();
  const model = (await keptModel(ctx)) ?? priorModel(BUILT_IN_FIELDS);
  await printModel(ctx, model, format, customerCount(db));
}

async function printModel(ctx: Context, model: MatchModel, format: Format, customers: number): Promise<void> {
  if (format === 'json') {
    const { timezone } = await ctx.settings();
    const levels = levelRows(model).map((r) => toRecord(LEVEL_COLUMNS, r));
    const trainedAt = model.trainedAt === null ? null : isoInZone(model.trainedAt, timezone);
    ctx.out(JSON.stringify({ ...model, trainedAt, customers, prior: customers < 2 ? null : round1(priorBits(model, customers)), levels }, null, 2));
    return;
  }
  if (format === 'table') await describeModel(ctx, model, customers);
  renderList(ctx, format, LEVEL_COLUMNS, levelRows(model));
}

async function train(ctx: Context, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  const { model, id, seconds } = await trainModel(ctx);
  await printModel(ctx, model, format, model.records);
  ctx.err(ctx.t('dedupe.trained', { id, seconds: seconds.toFixed(1) }));
}

async function distinct(ctx: Context, refs: string[]): Promise<void> {
  if (refs.length < 2) throw badInput('err.dedupe.twoRefs');
  const ids = [];
  for (const ref of refs) ids.push((await resolveCustomer(ctx, ref)).id);
  const added = markDistinct(await ctx.db(), ids, ctx.nowIso());
  ctx.out(ctx.t('dedupe.distinct', { count: added, ids: ids.map((x) => `#${x}`).join(', ') }));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm dedupe', 'crm dedupe --review', 'crm dedupe --auto', 'crm dedupe history', 'crm dedupe undo 3');
  const find = addFormatOption(
    cmd
      .command('find', { isDefault: true })
      .description(ctx.t('cmd.dedupe.find'))
      .option('--min-score <score>', ctx.t('opt.minScore', { score: DEFAULT_MIN_SCORE }))
      .option('--review', ctx.t('opt.review'))
      .option('--auto', ctx.t('opt.auto'))
      .option('--limit <n>', ctx.t('opt.dedupeLimit')),
    ctx,
    LONG_LIST_FORMATS,
  ).action((o: FindOptions) => dedupe(ctx, o));
  example(find, ctx, 'crm dedupe --min-score 0.9', 'crm dedupe --format csv > 重复客户.csv', 'crm dedupe --review', 'crm dedupe --auto --min-score 0.95');
  const tr = addFormatOption(cmd.command('train').description(ctx.t('cmd.dedupe.train')), ctx).action((o) => train(ctx, o));
  example(tr, ctx, 'crm dedupe train', 'crm dedupe train --format json');
  const mod = addFormatOption(cmd.command('model').description(ctx.t('cmd.dedupe.model')), ctx).action((o) => showModel(ctx, o));
  example(mod, ctx, 'crm dedupe model', 'crm dedupe model --format csv > 匹配模型.csv');
  const hist = addFormatOption(cmd.command('history').description(ctx.t('cmd.dedupe.history')).option('--limit <n>', ctx.t('opt.limit')), ctx).action((o) => history(ctx, o));
  example(hist, ctx, 'crm dedupe history', 'crm dedupe history --format json');
  const un = cmd
    .command('undo')
    .description(ctx.t('cmd.dedupe.undo'))
    .argument('<merge-id>', ctx.t('arg.mergeId'))
    .option('--force', ctx.t('opt.undoForce'))
    .action((id: string, o: { force?: boolean }) => undo(ctx, id, o));
  example(un, ctx, 'crm dedupe undo 3');
  const dis = cmd
    .command('distinct')
    .description(ctx.t('cmd.dedupe.distinct'))
    .argument('<refs...>', ctx.t('arg.refs'))
    .action((refs: string[]) => distinct(ctx, refs));
  example(dis, ctx, 'crm dedupe distinct 12 15');
  readOnly(find, hist, mod);
}
