// Merging customers, as `crm merge`, `crm dedupe --review` and `crm dedupe --auto` (and later cron)
// do it: the survivor's fields worked out in core/merge.ts, the move and its before-image in the store.
import type { Context } from '../context.js';
import type { Cluster } from '../core/dedupe/index.js';
import { mergedFields, type MergeField } from '../core/merge.js';
import { failure } from '../errors.js';
import { getCustomers } from '../store/customer.js';
import { getMerge, mergeCustomers, type MergeRecord } from '../store/dedupe.js';

/** Merges `others` into the survivor (undone by `crm dedupe undo`); returns the merge id. */
export async function mergeCluster(ctx: Context, survivorId: number, others: number[], how: string, score: number | null, chosen: Partial<Record<MergeField, string>> = {}): Promise<number> {
  const db = await ctx.db();
  const all = getCustomers(db, [survivorId, ...others]);
  const survivor = all.find((c) => c.id === survivorId);
  if (!survivor || all.length !== others.length + 1) throw failure('err.merge.gone');
  const fields = mergedFields(survivor, all.filter((c) => c.id !== survivorId), chosen);
  return mergeCustomers(db, survivorId, others, fields, how, score, ctx.nowIso());
}

/** Merges every cluster into its survivor without asking (`dedupe --auto`); the merges as recorded. */
export async function mergeClusters(ctx: Context, clusters: readonly Cluster[], how = 'auto'): Promise<MergeRecord[]> {
  const db = await ctx.db();
  const done: MergeRecord[] = [];
  for (const c of clusters) {
    const id = await mergeCluster(ctx, c.survivor, c.ids.filter((x) => x !== c.survivor), how, c.confidence);
    done.push(getMerge(db, id)!);
  }
  return done;
}
