// Backups, the use cases: `crm backup` (a checked copy of the book, made while others use it, put in
// place whole or not at all, readable by its owner only), the rotation of the backups folder,
// `crm backup list`, `crm restore` (the file staged and checked, the replaced book kept aside, the
// copy into the live book) and the daily backup `crm remind run` makes when backup_keep is set.
// Every temporary file is named `.crm-backup-<pid>-…tmp` / `.crm-restore-<pid>-…tmp` beside its
// target, so that one left by a killed run is recognised and removed by the next. The SQLite work
// is in store/backup.ts, the names in core/backup.ts.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { backupFileName, backupStamp, backupStem, beyondKeep, newestFirst, sizeText, stampInstant, takenOn, type BackupName } from '../core/backup.js';
import { localDay } from '../core/dates.js';
import { badInput, codeOf, CrmError, failure, systemError } from '../errors.js';
import { BACKUP_TEMP_NAME, placeNew, sweepFolder, trackTemp } from '../io/files.js';
import { checkCopy, copyPages, detachCopy, lockBook, openSource, type CopyFault } from '../store/backup.js';

export interface BackupMade {
  file: string;
  size: number;
  customers: number;
  seconds: number;
  /** The folder rotated (--keep) and what it removed. */
  rotated?: { dir: string; removed: string[]; kept: number };
}

export interface BackupListed {
  file: string;
  path: string;
  taken: string;
  size: number;
}

/** The book's file, absolute. */
function bookPath(ctx: Context): string {
  return path.resolve(ctx.dbPath);
}

/** The backups folder: the setting backup_dir, else `backups` beside the book. */
export async function backupDir(ctx: Context): Promise<string> {
  const { backup_dir } = await ctx.settings();
  return backup_dir ? path.resolve(backup_dir) : path.join(path.dirname(bookPath(ctx)), 'backups');
}

function stemOf(ctx: Context): string {
  return backupStem(path.basename(bookPath(ctx)));
}


/** Removes what killed backups and restores left in a folder (their process is gone). */
const removeLeftovers = (dir: string) => sweepFolder(dir, BACKUP_TEMP_NAME);

/** A new empty temporary file of this process in `dir`, readable by its owner only. */
/** The temporary files this crm has made, each with what takes it off the pending list. */
const tracked = new Map<string, () => void>();

function tempFile(dir: string, kind: 'backup' | 'restore'): string {
  const file = path.join(dir, `.crm-${kind}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  // Noted as pending first: a copy of the book holds every customer, so a killed crm's is removed by the next.
  const release = trackTemp(file);
  try {
    fs.writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    release();
    throw e;
  }
  tracked.set(file, release);
  return file;
}

function removeTemp(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  tracked.get(file)?.();
  tracked.delete(file);
}

/** Writes a file's data and its folder's entry to the disk. */
function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not every system can sync a folder; the rename is done all the same
  }
}

/** Puts `tmp` at the first free name of `names(1)`, `names(2)`…; returns it. */
function placeAs(tmp: string, names: (n: number) => string): string {
  for (let n = 1; n <= 1000; n++) if (placeNew(tmp, names(n))) return names(n);
  throw failure('err.backup.exists', { path: names(1) });
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

/** Refuses a --to that would write over the book, over a file without --force, or over anything but a regular file. */
function checkTarget(target: string, book: string, force: boolean): void {
  if ([book, `${book}-wal`, `${book}-shm`, `${book}-journal`].includes(target)) throw badInput('err.backup.book', { path: target });
  const st = lstat(target);
  if (!st) return;
  if (!force) throw badInput('err.backup.exists', { path: target }, { id: 'hint.backup.force' });
  if (!st.isFile()) throw badInput('err.backup.notFile', { path: target });
}

function writeError(file: string, e: unknown): CrmError {
  if (e instanceof CrmError) return e;
  const os = systemError(e, file);
  if (os) return os;
  return failure('err.backup.write', { path: file, reason: (e as Error).message.replace(/, \w+ '.*$/s, '') });
}

/**
 * Makes a backups folder (0700) whose parent must exist: one level only, never a tree (Node's
 * recursive mkdir spins forever under /proc), and a typo in backup_dir fails instead of growing one.
 */
function makeFolder(dir: string): void {
  if (lstat(dir)?.isDirectory()) return;
  fs.mkdirSync(dir, { mode: 0o700 });
}

/**
 * `crm backup`: copies the book (one snapshot, while others read and write it) to a temporary file,
 * checks the copy, and renames it into place: `to`, or a dated name in the backups folder. With
 * `keep`, then removes the older backups of this book in that folder beyond the `keep` newest.
 */
export async function makeBackup(ctx: Context, o: { to?: string; force?: boolean; keep?: number } = {}): Promise<BackupMade> {
  const started = performance.now();
  const db = await ctx.db();
  const { timezone } = await ctx.settings();
  const book = bookPath(ctx);
  const target = o.to === undefined ? undefined : path.resolve(o.to);
  if (target) checkTarget(target, book, Boolean(o.force));
  const dir = target ? path.dirname(target) : await backupDir(ctx);
  let tmp: string | undefined;
  let file: string;
  let customers: number;
  try {
    makeFolder(dir);
    removeLeftovers(dir);
    tmp = tempFile(dir, 'backup');
    if (!(await copyPages(db, tmp))) throw failure('err.backup.write', { path: target ?? dir, reason: 'busy' });
    const check = checkCopy(tmp);
    if (!check.ok) throw failure('err.backup.check', { path: target ?? dir, reason: faultText(check.fault) });
    customers = check.customers;
    fs.chmodSync(tmp, 0o600);
    syncFile(tmp);
    if (!target) {
      const stamp = backupStamp(ctx.now(), timezone);
      file = placeAs(tmp, (n) => path.join(dir, backupFileName(stemOf(ctx), stamp, n)));
    } else if (o.force) {
      checkTarget(target, book, true); // again: it may have become something else meanwhile
      fs.renameSync(tmp, target);
      file = target;
    } else {
      if (!placeNew(tmp, target)) throw badInput('err.backup.exists', { path: target }, { id: 'hint.backup.force' });
      file = target;
    }
    syncDir(dir);
    tracked.get(tmp)?.(); // placed: no longer pending
    tracked.delete(tmp);
  } catch (e) {
    if (tmp) removeTemp(tmp);
    throw writeError(target ?? dir, e);
  }
  const made: BackupMade = { file, size: fs.statSync(file).size, customers, seconds: (performance.now() - started) / 1000 };
  if (o.keep !== undefined) made.rotated = { dir, ...rotate(dir, stemOf(ctx), o.keep, path.basename(file)) };
  return made;
}

function faultText(f: CopyFault): string {
  return f.kind === 'damaged' ? f.reason : f.kind === 'newer' ? `schema ${f.version}` : f.kind;
}

/** Removes this book's backups (names crm gave, regular files only) beyond the `keep` newest; never `made`. */
function rotate(dir: string, stem: string, keep: number, made: string): { removed: string[]; kept: number } {
  const files = fs.readdirSync(dir).filter((f) => lstat(path.join(dir, f))?.isFile());
  const removed: string[] = [];
  for (const b of beyondKeep(stem, files, keep)) {
    if (b.file === made) continue;
    fs.rmSync(path.join(dir, b.file));
    removed.push(b.file);
  }
  return { removed, kept: newestFirst(stem, files).length - removed.length };
}

/** The backups of this book in a folder, newest first (none when there is no folder). */
function backupsIn(dir: string, stem: string): BackupName[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return newestFirst(stem, files).filter((b) => lstat(path.join(dir, b.file))?.isFile());
}

/** `crm backup list`: the backups of this book in the backups folder, newest first. */
export async function listBackups(ctx: Context): Promise<{ dir: string; backups: BackupListed[] }> {
  const { timezone } = await ctx.settings();
  const dir = await backupDir(ctx);
  const backups = backupsIn(dir, stemOf(ctx)).map((b) => {
    const file = path.join(dir, b.file);
    return { file: b.file, path: file, taken: stampInstant(b.stamp, timezone), size: fs.statSync(file).size };
  });
  return { dir, backups };
}

/**
 * The daily backup of `crm remind run`: when backup_keep is set and no backup of this book was taken
 * today (shop time), makes one and rotates the folder to keep that many. Never throws: the line to
 * print on stderr, or the failure to report once the reminders are sent (they are sent either way).
 */
export async function dailyBackup(ctx: Context): Promise<{ note: string } | { error: CrmError } | null> {
  try {
    const s = await ctx.settings();
    const keep = Number(s.backup_keep);
    if (!keep) return null;
    const today = localDay(ctx.now(), s.timezone);
    if (backupsIn(await backupDir(ctx), stemOf(ctx)).some((b) => takenOn(b, today))) return null;
    const made = await makeBackup(ctx, { keep });
    return { note: ctx.t('msg.backupDaily', { path: made.file, customers: made.customers, size: sizeText(made.size), removed: made.rotated?.removed.length ?? 0 }) };
  } catch (e) {
    const reason = e instanceof CrmError ? ctx.t(e.id, e.params) : (e as Error).message;
    return { error: failure('err.backup.daily', { reason }) };
  }
}

// ---------------------------------------------------------------------------------------------

export interface Staged {
  file: string;
  book: string;
  customers: number;
  /** Replaces the book with the staged copy; returns where the replaced book was kept (null: there was none). */
  apply(): Promise<string | null>;
  /** Removes the staged copy (after apply too). */
  discard(): void;
}

const FAULTS: Record<CopyFault['kind'], 'err.restore.notSqlite' | 'err.restore.damaged' | 'err.restore.foreign' | 'err.restore.newer'> = {
  notSqlite: 'err.restore.notSqlite',
  damaged: 'err.restore.damaged',
  foreign: 'err.restore.foreign',
  newer: 'err.restore.newer',
};

/**
 * `crm restore`, the first half: copies the file (and its -wal, if it has one) beside the book,
 * never touching the original, and checks the copy. Refuses (bad input, the book untouched) a file
 * that is not SQLite, is damaged, is not crm's, or is newer than this crm.
 */
export async function stageRestore(ctx: Context, raw: string): Promise<Staged> {
  const file = path.resolve(raw);
  const book = bookPath(ctx);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') throw badInput('err.restore.missing', { path: raw, reason: ctx.t('err.restore.noSuchFile') });
    throw systemError(e, raw) ?? badInput('err.restore.missing', { path: raw, reason: (e as Error).message.replace(/, \w+ '.*$/s, '') });
  }
  if (!st.isFile()) throw badInput('err.restore.notFile', { path: raw });
  if (file === book) throw badInput('err.restore.same', { path: raw });
  const dir = path.dirname(book);
  let stage: string;
  try {
    makeFolder(dir);
    removeLeftovers(dir);
    stage = tempFile(dir, 'restore');
  } catch (e) {
    throw systemError(e, dir) ?? e;
  }
  try {
    try {
      fs.copyFileSync(file, stage);
      if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${stage}-wal`);
    } catch (e) {
      // The file was readable (statted above): a failure here is the book's folder's (full, read-only).
      throw (codeOf(e) === 'ENOENT' || codeOf(e) === 'EACCES' ? systemError(e, raw) : systemError(e, dir)) ?? e;
    }
    const check = checkCopy(stage);
    if (!check.ok) {
      const { SCHEMA_VERSION } = await import('../store/db.js');
      throw badInput(FAULTS[check.fault.kind], { path: raw, reason: check.fault.kind === 'damaged' ? check.fault.reason : '', version: check.fault.kind === 'newer' ? check.fault.version : 0, known: SCHEMA_VERSION });
    }
    syncFile(stage);
    return { file, book, customers: check.customers, apply: () => replaceBook(ctx, stage, book), discard: () => removeTemp(stage) };
  } catch (e) {
    removeTemp(stage);
    if (e instanceof CrmError) throw e;
    throw badInput('err.restore.missing', { path: raw, reason: (e as Error).message });
  }
}

/** How long a restore waits for a crm that is closing the book, or writing it just after the check. */
const LOCK_WAIT_MS = 1000;
const BUSY_WAIT_MS = 5000;

/**
 * Replaces the book with a checked copy. When no other crm has it open: the book is copied aside
 * through the connection that holds it, then the copy is written into the live book in one write
 * transaction (SQLite's backup API). A book that is not SQLite at all is renamed aside instead.
 */
async function replaceBook(ctx: Context, stage: string, book: string): Promise<string | null> {
  const { timezone } = await shopZone(ctx);
  const dir = path.dirname(book);
  const asideName = (n: number) => `${book}.before-restore-${backupStamp(ctx.now(), timezone)}${n > 1 ? `-${n}` : ''}`;
  if (!fs.existsSync(book)) {
    fs.chmodSync(stage, 0o600);
    if (!placeNew(stage, book)) throw failure('err.restore.inUse', { book }, { id: 'hint.restore.inUse' });
    syncDir(dir);
    return null;
  }
  const lock = lockBook(book, LOCK_WAIT_MS);
  if (lock === 'busy') throw failure('err.restore.inUse', { book }, { id: 'hint.restore.inUse' });
  if (lock === 'unreadable') {
    // Not SQLite (no crm can have it open): the file itself goes aside, the copy takes its name.
    const aside = placeAs(book, asideName);
    if (fs.existsSync(`${book}-wal`)) fs.renameSync(`${book}-wal`, `${aside}-wal`);
    fs.rmSync(`${book}-shm`, { force: true });
    fs.renameSync(stage, book);
    syncDir(dir);
    return aside;
  }
  let aside: string;
  const tmp = tempFile(dir, 'backup');
  try {
    try {
      if (!(await copyPages(lock.db, tmp))) throw failure('err.restore.inUse', { book }, { id: 'hint.restore.inUse' });
    } finally {
      lock.release();
    }
    detachCopy(tmp);
    syncFile(tmp);
    aside = placeAs(tmp, asideName);
  } catch (e) {
    removeTemp(tmp);
    throw e;
  }
  try {
    await copyInto(stage, book);
  } catch (e) {
    fs.rmSync(aside, { force: true }); // the book is as it was: its copy is not needed
    throw e;
  }
  return aside;
}

/** Writes the staged copy into the book, waiting a moment for a writer that started meanwhile. */
async function copyInto(stage: string, book: string): Promise<void> {
  const source = openSource(stage);
  try {
    for (let waited = 0; ; waited += 50) {
      if (await copyPages(source, book)) return;
      if (waited >= BUSY_WAIT_MS) throw failure('err.restore.inUse', { book }, { id: 'hint.restore.inUse' });
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    source.close();
  }
}

/** The shop's zone for the name of the replaced book: the book's setting, else (no book, a damaged one) the machine's. */
async function shopZone(ctx: Context): Promise<{ timezone: string }> {
  if (!fs.existsSync(ctx.dbPath)) return { timezone: ctx.settingsEnv.zone };
  try {
    return { timezone: (await ctx.settings()).timezone };
  } catch {
    return { timezone: ctx.settingsEnv.zone };
  } finally {
    ctx.close(); // the lock proves no other connection has the book open: this one neither
  }
}
