// The one way crm writes a file (an export, the rejects of an import, later outboxes): a hidden
// temporary file beside the target, renamed into place at the end and removed on failure, so a
// failed or interrupted run never leaves half a file under the name asked for. It never replaces
// a file the user did not name, nor anything but a regular file. Every file is its owner's only
// (0600). A temporary file (and a copy of standard input) is named with its process's id and
// noted in the user's own folder of pending files, so that the next crm removes what a killed one
// left behind (sweepLeftovers), wherever it was.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { badInput, CrmError, failure, systemError } from '../errors.js';
import type { MessageId } from '../messages/index.js';

/**
 * What to do when the target exists when the file is put in place:
 * - `replace`: replace it (the user named the file and said so: --force, or --rejects);
 * - `refuse`: bad input "already exists" (the user named the file without --force);
 * - `another`: keep it and take the next free name, x-2.csv, x-3.csv… (a name crm chose).
 */
export type WhenExists = 'replace' | 'refuse' | 'another';

export interface AtomicFile {
  write(data: Buffer | string): void;
  /** Everything is written: puts the file in place and returns the path it was given. */
  commit(): string;
  /** Something failed: leaves nothing behind. */
  abort(): void;
}

/** A file's size in bytes (0 when it cannot be read: the caller's reading then says why). */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** What a path is when it exists and is no regular file (the line crm refuses it with), else null. */
function notRegular(file: string): MessageId | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return null;
  }
  if (st.isFile()) return null;
  if (st.isSymbolicLink()) return 'err.file.symlink';
  if (st.isDirectory()) return 'err.file.directory';
  if (st.isFIFO()) return 'err.file.pipe';
  if (st.isSocket()) return 'err.file.socket';
  return 'err.file.device';
}

/** Refuses to put a file where a symlink, folder, device, pipe or socket is: only regular files are ever replaced. */
export function checkReplaceable(file: string): void {
  const id = notRegular(file);
  if (id) throw badInput(id, { path: file }, { id: 'hint.file.notRegular' });
}

/** Whether the path is a pipe, a device or a socket (/dev/stdin, a FIFO): read it as a stream, once. */
export function isStream(file: string): boolean {
  try {
    const st = fs.statSync(file);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/** Whether the path names this process's standard input (/dev/stdin, /dev/fd/0, or a pipe that is it). */
export function isStandardInput(file: string): boolean {
  try {
    const [named, stdin] = [fs.statSync(file), fs.fstatSync(0)];
    return named.dev === stdin.dev && named.ino === stdin.ino;
  } catch {
    return false;
  }
}

/** Whether process `pid` still runs (another user's counts: EPERM). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Puts `tmp` at `file` unless a file is there (a hard link fails when the name is taken meanwhile); false when taken. */
export function placeNew(tmp: string, file: string): boolean {
  try {
    fs.linkSync(tmp, file);
    fs.unlinkSync(tmp);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links (FAT, some network shares): check, then rename.
    if (exists(file)) return false;
    fs.renameSync(tmp, file);
    return true;
  }
}

/** A temporary file's name: .x.csv.crm-<pid>-<random>.tmp, beside x.csv. */
const TEMP_NAME = /^\..+\.crm-(\d+)-[0-9a-f]{8}\.tmp$/;
/** An entry of the pending folder: <pid>-<random>.file (a note naming a temporary file) or .spool (a folder). */
const PENDING_NAME = /^(\d+)-[0-9a-f]{8}\.(file|spool)$/;
/** A backup's or a restore's temporary copy of the book (an SQLite file, with its journal beside it while written). */
export const BACKUP_TEMP_NAME = /^\.crm-(?:backup|restore)-(\d+)-[0-9a-f]+\.tmp(?:-journal|-wal|-shm)?$/;

function tag(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * The user's own folder of pending files ($TMPDIR/crm-<uid>, 0700), or null when it cannot be made
 * or is not theirs alone (another user made it first: then nothing is noted there).
 */
function pendingDir(): string | null {
  const dir = path.join(os.tmpdir(), `crm-${process.getuid?.() ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null;
  }
  try {
    const st = fs.lstatSync(dir);
    const mine = process.getuid === undefined || st.uid === process.getuid();
    return st.isDirectory() && mine && (st.mode & 0o077) === 0 ? dir : null;
  } catch {
    return null;
  }
}

/** The files this process has under way, removed if it is stopped by a signal (removeOwnLeftovers). */
const underWay = new Set<string>();

/** Notes a temporary file in the pending folder; returns the note (to remove with the file), or null. */
function notePending(file: string): string | null {
  const dir = pendingDir();
  if (!dir) return null;
  const note = path.join(dir, `${tag()}.file`);
  try {
    fs.writeFileSync(note, path.resolve(file), { mode: 0o600, flag: 'wx' });
    return note;
  } catch {
    return null;
  }
}

/** A folder's names; none when it cannot be read (it is gone, or not ours). */
function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Removes what crms that are no longer running left behind: the temporary files their notes name
 * (only names crm gives its temporary files), their notes, and their copies of standard input.
 */
export function sweepLeftovers(): void {
  const dir = pendingDir();
  if (!dir) return;
  for (const name of entries(dir)) {
    const m = PENDING_NAME.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const entry = path.join(dir, name);
    try {
      if (m[2] === 'file') {
        const file = fs.readFileSync(entry, 'utf8');
        if (TEMP_NAME.test(path.basename(file))) fs.rmSync(file, { force: true });
        if (BACKUP_TEMP_NAME.test(path.basename(file))) for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      }
      fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      // the next run tries again
    }
  }
}

/**
 * Removes from one folder the temporary files of crms no longer running: the names `pattern`
 * matches, whose first group is the pid of the crm that made them (by default the atomic writer's).
 */
export function sweepFolder(dir: string, pattern: RegExp = TEMP_NAME): void {
  for (const name of entries(dir)) {
    const m = pattern.exec(name);
    if (m && !processAlive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Removes this process's files under way (a signal stops it: no finally block will run). */
export function removeOwnLeftovers(): void {
  for (const file of underWay) fs.rmSync(file, { recursive: true, force: true });
  underWay.clear();
}

/**
 * Notes a temporary file made elsewhere (a backup's copy, wherever --to puts it) as pending: removed
 * if this crm is stopped by a signal, and by the next crm if this one is killed. Call the returned
 * function once the file is placed or removed.
 */
export function trackTemp(file: string): () => void {
  const note = notePending(file);
  underWay.add(file);
  return () => {
    underWay.delete(file);
    if (note) fs.rmSync(note, { force: true });
  };
}

/**
 * A private folder (0700) for a copy of standard input, noted as pending until `remove` is called
 * (or the next crm finds this one gone).
 */
export function spoolFolder(): { dir: string; remove(): void } {
  const pending = pendingDir();
  const dir = pending ? path.join(pending, `${tag()}.spool`) : fs.mkdtempSync(path.join(os.tmpdir(), 'crm-spool-'));
  if (pending) fs.mkdirSync(dir, { mode: 0o700 });
  underWay.add(dir);
  return {
    dir,
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      underWay.delete(dir);
    },
  };
}

/** The names tried for `another`: x.rejects.csv, then x.rejects-2.csv, x.rejects-3.csv… */
function alternativeName(file: string, n: number): string {
  if (n < 2) return file;
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}-${n}${ext}`);
}

const MAX_ALTERNATIVES = 1000;

/** Opens `target` for writing; nothing appears under its name before commit(). */
export function atomicFile(target: string, whenExists: WhenExists): AtomicFile {
  if (whenExists !== 'another') checkReplaceable(target);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.crm-${tag()}.tmp`);
  const writeError = (e: unknown) => systemError(e, target) ?? failure('err.export.write', { path: target, reason: (e as Error).message.replace(/, \w+ '.*$/s, '') });
  const taken = (file: string) => badInput('err.export.exists', { path: file }, { id: 'hint.export.force' });
  sweepFolder(dir);
  // Noted before it exists: a crm killed between the two would leave a file nobody knows of.
  const note = notePending(tmp);
  const forget = () => {
    underWay.delete(tmp);
    if (note) fs.rmSync(note, { force: true });
  };
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (e) {
    forget();
    throw writeError(e);
  }
  underWay.add(tmp);
  const close = () => {
    if (fd !== undefined) fs.closeSync(fd);
    fd = undefined;
  };
  /** Puts the temporary file at `file` unless a file is there (a hard link fails if the name was taken meanwhile). */

  /** Puts the written, closed temporary file in place; returns the name it took. */
  const place = (): string => {
    if (whenExists === 'replace') {
      checkReplaceable(target); // again: it may have become a link meanwhile
      fs.renameSync(tmp, target);
      return target;
    }
    if (whenExists === 'refuse') {
      if (!placeNew(tmp, target)) throw taken(target);
      return target;
    }
    for (let n = 1; n <= MAX_ALTERNATIVES; n++) {
      const file = alternativeName(target, n);
      if (placeNew(tmp, file)) return file;
    }
    throw taken(target);
  };
  return {
    write(data) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      try {
        for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd!, bytes, off);
      } catch (e) {
        throw writeError(e);
      }
    },
    commit() {
      try {
        fs.fsyncSync(fd!);
        close();
        const placed = place();
        forget();
        return placed;
      } catch (e) {
        // Nothing is left behind: the temporary file goes with the failure.
        try {
          close();
        } catch {
          // already failing
        }
        fs.rmSync(tmp, { force: true });
        forget();
        if (e instanceof CrmError) throw e;
        throw writeError(e);
      }
    },
    abort() {
      try {
        close();
      } catch {
        // already failing; the temporary file goes all the same
      }
      fs.rmSync(tmp, { force: true });
      forget();
    },
  };
}
