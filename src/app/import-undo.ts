// The import history and `crm import undo`: every import of customers, orders or interactions is recorded in its
// own transaction (store/import-runs.ts), and undoing one removes what it created and puts back
// what it changed, in one transaction, as `crm dedupe undo` does for a merge. An undo that would
// also throw away what happened to those customers since (a later import's changes among them) is
// refused, naming them and what happened, unless forced; a later merge of them must be undone first.
import type { Context } from '../context.js';
import { formatLocal } from '../core/dates.js';
import { failure } from '../errors.js';
import { transaction } from '../store/db.js';
import { getImportRun, laterChanges, laterMerge, listImportRuns, undoCounts, undoImportRun, type Blocker, type ImportRun, type UndoCounts } from '../store/import-runs.js';

/** How many of the customers changed since an undo's refusal names. */
const NAMED = 5;

/** The imports, newest first. */
export async function importHistory(ctx: Context, limit: number | null): Promise<ImportRun[]> {
  return listImportRuns(await ctx.db(), limit);
}

export interface UndoOptions {
  /** Undo even where customers were changed after the import (those changes are lost). */
  force?: boolean;
  /** Check and count as the undo would, and change nothing. */
  dryRun?: boolean;
}

export interface UndoOutcome {
  run: ImportRun;
  /** What was (with --dry-run: would be) removed and put back. */
  counts: UndoCounts;
  dryRun: boolean;
}

/**
 * Undoes import `id` (or, with dryRun, says what that would do): refused when it is unknown or
 * undone already, when a later merge touched its customers (undo that first), and, unless
 * forced, when customers it created or updated were changed since (by hand, or by a later
 * import). The checks and the undo are one transaction: nothing can slip in between.
 */
export async function undoImport(ctx: Context, id: number, o: UndoOptions = {}): Promise<UndoOutcome> {
  const db = await ctx.db();
  const { timezone } = await ctx.settings();
  const now = ctx.nowIso();
  return transaction(db, () => {
    const run = getImportRun(db, id);
    if (!run) throw failure('err.importUndo.notFound', { id }, { id: 'hint.importUndo.history' });
    if (run.undoneAt) throw failure('err.importUndo.undone', { id, at: formatLocal(run.undoneAt, timezone) });
    const merge = laterMerge(db, id);
    if (merge !== null) throw failure('err.importUndo.laterMerge', { id, later: merge }, { id: 'hint.importUndo.laterMerge', params: { later: merge } });
    if (!o.force) {
      const blockers = laterChanges(db, run, NAMED + 1);
      if (blockers.length > 0) throw failure('err.importUndo.changed', { id, list: describeBlockers(ctx, blockers, timezone) }, { id: 'hint.importUndo.force', params: { id } });
    }
    const counts = undoCounts(db, id);
    if (!o.dryRun) undoImportRun(db, id, now);
    return { run, counts, dryRun: o.dryRun ?? false };
  });
}

/** "#12 王伟 (order #40 since), #15 Li Na (updated by import 4 on 2026-11-23 09:00)", the first few, then "…". */
function describeBlockers(ctx: Context, blockers: Blocker[], zone: string): string {
  const why = (b: Blocker): string => {
    const c = b.change;
    switch (c.kind) {
      case 'import':
        return ctx.t(`importUndo.why.import.${c.did}`, { import: c.id, at: formatLocal(c.at, zone) });
      case 'undo':
        return ctx.t('importUndo.why.undo', { import: c.id, at: formatLocal(c.at, zone) });
      case 'tier':
        return ctx.t('importUndo.why.tier');
      case 'order':
        return ctx.t('importUndo.why.order', { order: c.order });
      case 'refund':
        return ctx.t('importUndo.why.refund', { order: c.order });
      case 'edited':
        return ctx.t('importUndo.why.edited', { at: c.at ? formatLocal(c.at, zone) : '' });
      case 'interaction':
        return ctx.t('importUndo.why.interaction');
      case 'complaint':
        return ctx.t('importUndo.why.complaint');
      case 'survey':
        return ctx.t('importUndo.why.survey');
      case 'reminder':
        return ctx.t('importUndo.why.reminder');
      case 'coupon':
        return ctx.t('importUndo.why.coupon');
    }
  };
  const named = blockers.slice(0, NAMED).map((b) => `#${b.customerId}${b.name ? ` ${b.name}` : ''} (${why(b)})`);
  return [...named, ...(blockers.length > NAMED ? ['…'] : [])].join(', ');
}
