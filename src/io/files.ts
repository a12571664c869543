// The one way crm writes a file (an export, the rejects of an import, later outboxes): a hidden
// temporary file beside the target, renamed into place at the end and removed on failure, so a
// failed or interrupted run never leaves half a file under the name asked for. It never replaces
// a file the user did not name.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { badInput, CrmError, failure, systemError } from '../errors.js';

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

export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
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
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  // "ENOENT: no such file or directory, open '…/.x.csv.1a2b.tmp'" -> "ENOENT: no such file or directory"
  const writeError = (e: unknown) => systemError(e, target) ?? failure('err.export.write', { path: target, reason: (e as Error).message.replace(/, \w+ '.*$/s, '') });
  const taken = (file: string) => badInput('err.export.exists', { path: file }, { id: 'hint.export.force' });
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx');
  } catch (e) {
    throw writeError(e);
  }
  const close = () => {
    if (fd !== undefined) fs.closeSync(fd);
    fd = undefined;
  };
  /** Puts the temporary file at `file` unless a file is there (a hard link fails if the name was taken meanwhile). */
  const placeNew = (file: string): boolean => {
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
        if (whenExists === 'replace') {
          fs.renameSync(tmp, target);
          return target;
        }
        if (whenExists === 'refuse') {
          if (!placeNew(target)) throw taken(target);
          return target;
        }
        for (let n = 1; n <= MAX_ALTERNATIVES; n++) {
          const file = alternativeName(target, n);
          if (placeNew(file)) return file;
        }
        throw taken(target);
      } catch (e) {
        // Nothing is left behind: the temporary file goes with the failure.
        try {
          close();
        } catch {
          // already failing
        }
        fs.rmSync(tmp, { force: true });
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
    },
  };
}
