// crm dedupe [--review | --auto], dedupe history, dedupe undo, dedupe distinct: finding duplicate
// customers, merging them (by hand, cluster by cluster, or automatically above a score), and undoing.
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Customer } from '../core/customer.js';
import { clusterLinks, explainMember, matchRecord, type Cluster, type MatchRecord, type PairScore, type Reason } from '../core/dedupe/index.js';
import { findGroups } from '../app/dedupe-groups.js';
import { differences, mergedFields, type MergeField } from '../core/merge.js';
import { badInput, failure } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { jsonArrayOut, renderList, type Column, type Format } from '../io/output.js';
import { getCustomers } from '../store/customers.js';
import { getMerge, listMerges, markDistinct, matchInputsOf, mergeCustomers, undoMerge, undoProblem, type MergeRecord } from '../store/dedupe.js';
import { addFormatOption, example, formatOf, listLimit, noteTruncation, parsePositiveInt, prompts, resolveCustomer } from './common.js';

const DEFAULT_MIN_SCORE = 0.8;
/** Pairs below this are not kept at all (the listing's --min-score can go no lower). */
const FLOOR = 0.5;
/** A key shared by more customers than this is too common to compare all their pairs. */
const BLOCK_CAP = 100;

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

export interface Found {
  clusters: Cluster[];
  customers: number;
  tooCommon: Map<string, number>;
  seconds: number;
  /** Why a member is in its cluster (the reasons are worked out again for what is shown). */
  explain(c: Cluster, id: number): PairScore | null;
  /** The pairs holding a cluster together. */
  links(c: Cluster): PairScore[];
}

/** Reads every customer, scores the candidate pairs (on a worker thread) and clusters them. Writes nothing to the shop's file. */
export async function findClusters(ctx: Context, minScore: number): Promise<Found> {
  const started = performance.now();
  const db = await ctx.db();
  const groups = await findGroups({ dbPath: ctx.dbPath, minScore, blockCap: BLOCK_CAP });
  // The reasons are worked out again for the groups shown, from their members as stored.
  let members = new Map<number, MatchRecord>();
  const get = (c: Cluster) => {
    if (!members.has(c.survivor)) members = new Map(matchInputsOf(db, c.ids).map((input) => [input.id, matchRecord(input)]));
    return (x: number) => members.get(x)!;
  };
  return {
    clusters: groups.clusters,
    customers: groups.customers,
    tooCommon: groups.tooCommon,
    seconds: (performance.now() - started) / 1000,
    explain: (c, id) => explainMember(c, id, get(c), minScore),
    links: (c) => clusterLinks(c, get(c), minScore),
  };
}

const REASONS: Record<Reason['id'], MessageId> = {
  samePhone: 'dedupe.reason.samePhone',
  sameEmail: 'dedupe.reason.sameEmail',
  sameExternalId: 'dedupe.reason.sameExternalId',
  sameName: 'dedupe.reason.sameName',
  samePinyin: 'dedupe.reason.samePinyin',
  nameSimilar: 'dedupe.reason.nameSimilar',
  nameDifferent: 'dedupe.reason.nameDifferent',
  sameBirthday: 'dedupe.reason.sameBirthday',
  birthdayClose: 'dedupe.reason.birthdayClose',
  birthdayDifferent: 'dedupe.reason.birthdayDifferent',
  sameAddress: 'dedupe.reason.sameAddress',
  addressSimilar: 'dedupe.reason.addressSimilar',
  sameCity: 'dedupe.reason.sameCity',
  cityDifferent: 'dedupe.reason.cityDifferent',
  emailSimilar: 'dedupe.reason.emailSimilar',
};

export function describeReasons(ctx: Context, reasons: Reason[]): string {
  return reasons.map((r) => ctx.t(REASONS[r.id], { value: r.value?.toFixed(2) ?? '' })).join(', ');
}

interface MemberRow {
  cluster: number;
  cluster_score: number;
  certain: boolean;
  survivor: boolean;
  customer: Customer;
  score: number | null;
  reasons: string;
}

const MEMBER_COLUMNS: Column<MemberRow>[] = [
  { key: 'cluster', header: 'col.cluster', value: (r) => r.cluster, align: 'right' },
  { key: 'cluster_score', header: 'col.clusterScore', value: (r) => r.cluster_score.toFixed(2), align: 'right' },
  { key: 'keep', header: 'col.keep', value: (r) => (r.survivor ? '*' : '') },
  { key: 'id', header: 'col.id', value: (r) => r.customer.id, align: 'right' },
  { key: 'name', header: 'col.name', value: (r) => r.customer.name },
  { key: 'phone', header: 'col.phone', value: (r) => r.customer.phones.map((p) => p.e164) },
  { key: 'email', header: 'col.email', value: (r) => r.customer.email },
  { key: 'birthday', header: 'col.birthday', value: (r) => r.customer.birthday },
  { key: 'city', header: 'col.city', value: (r) => r.customer.city },
  { key: 'score', header: 'col.score', value: (r) => (r.score === null ? '' : r.score.toFixed(2)), align: 'right' },
  { key: 'reasons', header: 'col.reasons', value: (r) => r.reasons },
];

function memberRows(ctx: Context, found: Found, clusters: Cluster[], customers: Map<number, Customer>, offset = 0): MemberRow[] {
  return clusters.flatMap((c, i) =>
    c.ids.flatMap((id) => {
      const customer = customers.get(id);
      if (!customer) return [];
      const pair = found.explain(c, id);
      return [{ cluster: offset + i + 1, cluster_score: c.confidence, certain: c.certain, survivor: id === c.survivor, customer, score: pair?.score ?? null, reasons: pair ? describeReasons(ctx, pair.reasons) : '' }];
    }),
  );
}

async function loadMembers(ctx: Context, clusters: Cluster[]): Promise<Map<number, Customer>> {
  const db = await ctx.db();
  return new Map(getCustomers(db, clusters.flatMap((c) => c.ids)).map((c) => [c.id, c]));
}

async function dedupe(ctx: Context, o: FindOptions): Promise<void> {
  if (o.review && o.auto) throw badInput('err.dedupe.reviewAuto');
  if (o.review && !ctx.interactive) throw badInput('err.dedupe.reviewTty', {}, { id: 'hint.dedupe.auto' });
  const format = formatOf(o);
  // --auto merges certain matches unless told a score.
  const minScore = parseScore(o.minScore, o.auto ? 1 : DEFAULT_MIN_SCORE);
  const found = await findClusters(ctx, minScore);
  if (found.tooCommon.size > 0) ctx.err(ctx.t('dedupe.tooCommon', { count: found.tooCommon.size, max: BLOCK_CAP, example: [...found.tooCommon.keys()][0]!.slice(2) }));
  if (o.auto) return autoMerge(ctx, found, minScore, format);
  if (o.review) return review(ctx, found);
  return list(ctx, o, found, minScore);
}

/** Clusters shown a few hundred at a time, with their members read from the store (memory stays flat). */
const PART = 500;

async function list(ctx: Context, o: FindOptions, found: Found, minScore: number): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const shown = limit === null ? found.clusters : found.clusters.slice(0, limit);
  const json = format === 'json' ? jsonArrayOut(ctx) : null;
  const table: MemberRow[] = [];
  // At least one part, so that an empty CSV still has its header.
  for (let start = 0; start === 0 || start < shown.length; start += PART) {
    const part = shown.slice(start, start + PART);
    const customers = await loadMembers(ctx, part);
    if (json) {
      part.forEach((c, i) =>
        json.add({
          cluster: start + i + 1,
          score: c.confidence,
          certain: c.certain,
          survivor: c.survivor,
          ids: c.ids,
          members: c.ids.map((id) => {
            const p = found.explain(c, id);
            return { id, name: customers.get(id)?.name ?? null, score: p?.score ?? null, reasons: p ? p.reasons.map((r) => (r.value === undefined ? r.id : `${r.id} ${r.value}`)) : [], why: p ? describeReasons(ctx, p.reasons) : '' };
          }),
          pairs: found.links(c).map((p) => ({ a: p.a, b: p.b, score: p.score, certain: p.certain })),
        }),
      );
    } else if (format === 'csv') {
      renderList(ctx, format, MEMBER_COLUMNS, memberRows(ctx, found, part, customers, start), { first: start === 0 });
    } else {
      table.push(...memberRows(ctx, found, part, customers, start));
    }
  }
  json?.end();
  if (format === 'table') renderList(ctx, format, MEMBER_COLUMNS, table);
  noteTruncation(ctx, o, limit, shown.length, () => found.clusters.length);
  if (format === 'table') {
    const members = found.clusters.reduce((n, c) => n + c.ids.length, 0);
    ctx.err(ctx.t('dedupe.summary', { clusters: found.clusters.length, members, customers: found.customers, score: minScore, seconds: found.seconds.toFixed(1) }));
    if (found.clusters.length > 0) ctx.err(ctx.t('hint.dedupe.next'));
  }
}

/** Merges the members of a cluster into its survivor; returns the merge id. */
export async function mergeCluster(ctx: Context, survivorId: number, others: number[], how: string, score: number | null, chosen: Partial<Record<MergeField, string>> = {}): Promise<number> {
  const db = await ctx.db();
  const all = getCustomers(db, [survivorId, ...others]);
  const survivor = all.find((c) => c.id === survivorId);
  if (!survivor || all.length !== others.length + 1) throw failure('err.merge.gone');
  const fields = mergedFields(survivor, all.filter((c) => c.id !== survivorId), chosen);
  return mergeCustomers(db, survivorId, others, fields, how, score, ctx.nowIso());
}

async function autoMerge(ctx: Context, found: Found, minScore: number, format: Format): Promise<void> {
  const done: { merge: number; survivor: number; merged: number[]; score: number }[] = [];
  // Every cluster was formed of links at minScore or more.
  for (const c of found.clusters) {
    const merge = await mergeCluster(ctx, c.survivor, c.ids.slice(1), 'auto', c.confidence);
    done.push({ merge, survivor: c.survivor, merged: c.ids.slice(1), score: c.confidence });
  }
  if (format === 'json') {
    ctx.out(JSON.stringify({ merged: done }, null, 2));
    return;
  }
  for (const d of done) ctx.out(ctx.t('dedupe.merged', { merge: d.merge, survivor: d.survivor, merged: d.merged.map((id) => `#${id}`).join(', '), score: d.score.toFixed(2) }));
  ctx.out(ctx.t('dedupe.autoSummary', { clusters: done.length, records: done.reduce((n, d) => n + d.merged.length, 0), score: minScore }));
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
    ctx.err(ctx.t('dedupe.reviewHead', { n: i + 1, total: found.clusters.length, score: c.confidence.toFixed(2) }));
    for (const m of list) {
      const pair = found.explain(c, m.id);
      ctx.err(`  ${m.id === c.survivor ? '*' : ' '} ${describeCustomer(m)}${pair ? `\n      ${describeReasons(ctx, pair.reasons)}` : ''}`);
    }
    const action = await p.select<'merge' | 'fields' | 'skip' | 'distinct' | 'quit'>({
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
        chosen[d.field] = await p.select<string>({ message: ctx.t('prompt.dedupe.field', { field: ctx.t(`field.${d.field}` as MessageId) }), choices: d.values.map((v) => ({ name: v, value: v })) });
      }
    }
    const id = await mergeCluster(ctx, survivor, c.ids.filter((x) => x !== survivor), 'review', c.confidence, chosen);
    ctx.err(ctx.t('dedupe.merged', { merge: id, survivor, merged: c.ids.filter((x) => x !== survivor).map((x) => `#${x}`).join(', '), score: c.confidence.toFixed(2) }));
    merged++;
  }
  ctx.out(ctx.t('dedupe.reviewSummary', { merged, skipped, marked }));
}

const MERGE_COLUMNS: Column<MergeRecord>[] = [
  { key: 'merge', header: 'col.merge', value: (m) => m.id, align: 'right' },
  { key: 'at', header: 'col.at', value: (m) => m.at },
  { key: 'survivor', header: 'col.survivor', value: (m) => m.survivorId, align: 'right' },
  { key: 'merged', header: 'col.merged', value: (m) => m.mergedIds },
  { key: 'how', header: 'col.mergeHow', value: (m) => m.how },
  { key: 'score', header: 'col.score', value: (m) => m.score, align: 'right' },
  { key: 'undone_at', header: 'col.undoneAt', value: (m) => m.undoneAt },
];

async function history(ctx: Context, o: { limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const rows = listMerges(await ctx.db(), limit);
  renderList(ctx, format, MERGE_COLUMNS, rows);
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
  ).action((o: FindOptions) => dedupe(ctx, o));
  example(find, ctx, 'crm dedupe --min-score 0.9', 'crm dedupe --format csv > 重复客户.csv', 'crm dedupe --review', 'crm dedupe --auto --min-score 0.95');
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
}
