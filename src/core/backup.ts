// Backups, the rules: the names crm gives the copies of a book (`crm-2026-12-01T143000.db`, the
// time in the shop's zone, `-2`, `-3` for a second copy in the same second), which names are crm's
// (a rotation removes only those), how they sort and which a rotation keeps. Pure: the folder's
// listing and the time come in.
import { DateTime } from 'luxon';

export interface BackupName {
  file: string;
  /** The shop time it was taken, as in the name: 2026-12-01T143000. */
  stamp: string;
  /** 1, or the 2, 3… of a second copy taken in the same second. */
  n: number;
}

/** The part of a book's file name a backup begins with: crm.db -> crm. */
export function backupStem(bookFile: string): string {
  const dot = bookFile.lastIndexOf('.');
  return dot > 0 ? bookFile.slice(0, dot) : bookFile;
}

/** The time in a name: 2026-12-01T143000, in the shop's zone. */
export function backupStamp(now: Date, zone: string): string {
  return DateTime.fromJSDate(now).setZone(zone).toFormat("yyyy-MM-dd'T'HHmmss");
}

/** The name of the n-th copy of a book in the same second. */
export function backupFileName(stem: string, stamp: string, n = 1): string {
  return `${stem}-${stamp}${n > 1 ? `-${n}` : ''}.db`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A file name crm gave a backup of this book, read back; null for every other file. */
export function parseBackupName(stem: string, file: string): BackupName | null {
  const m = new RegExp(`^${escape(stem)}-(\\d{4}-\\d{2}-\\d{2}T\\d{6})(?:-(\\d+))?\\.db$`).exec(file);
  return m ? { file, stamp: m[1]!, n: m[2] ? Number(m[2]) : 1 } : null;
}

/** The backups among a folder's files, newest first. */
export function newestFirst(stem: string, files: readonly string[]): BackupName[] {
  const names = files.map((f) => parseBackupName(stem, f)).filter((b): b is BackupName => b !== null);
  return names.sort((a, b) => (a.stamp === b.stamp ? b.n - a.n : a.stamp < b.stamp ? 1 : -1));
}

/** What a rotation removes: every backup after the `keep` newest. */
export function beyondKeep(stem: string, files: readonly string[], keep: number): BackupName[] {
  return newestFirst(stem, files).slice(keep);
}

/** The instant a stamp stands for, as ISO 8601 with the shop's offset (+00:00, never Z, as every machine time of crm). */
export function stampInstant(stamp: string, zone: string): string {
  return DateTime.fromFormat(stamp, "yyyy-MM-dd'T'HHmmss", { zone }).toISO({ suppressMilliseconds: true, extendedZone: false })!.replace(/Z$/, '+00:00');
}

/** Whether a backup was taken on this shop day (YYYY-MM-DD): the daily backup is made once. */
export function takenOn(b: BackupName, day: string): boolean {
  return b.stamp.startsWith(`${day}T`);
}

/** A file's size for people: 812 B, 4.0 KB, 12.3 MB, 1.2 GB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return `${v.toFixed(1)} ${units[i]}`;
}
