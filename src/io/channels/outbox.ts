// The outbox channel: text messages as CSV in the layout bulk-SMS platforms import (phone, message,
// delivery_id), one file per shop-local day, sms-YYYY-MM-DD.csv in the outbox folder. A file
// appears with its header already in it (written beside it, then hard-linked into place, which
// fails if another process got there first); a batch is one write on a file opened for appending,
// then fsync, so two runs at once never interleave inside a line and an appended batch survives a
// crash. delivered() reads the recent files back, so a message a killed run wrote is never repeated.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { addDays, localDay } from '../../core/dates.js';
import { translate } from '../../messages/index.js';
import { csvLine } from '../csv-out.js';
import type { Channel, ChannelConfig, Outcome } from './index.js';

const require = createRequire(import.meta.url);
const papa = () => require('papaparse') as typeof import('papaparse');

export const OUTBOX_COLUMNS = ['phone', 'message', 'delivery_id'] as const;
// As the rejects file of an import: UTF-8 with a byte order mark and CRLF, so Excel shows Chinese
// text right when the owner opens the file to check it; the platforms read such files as well.
const NEWLINE = '\r\n';
const HEADER = '\uFEFF' + csvLine(OUTBOX_COLUMNS, NEWLINE);
/** How many days back delivered() looks, besides today: a killed run is retried within days. */
export const OUTBOX_LOOKBACK_DAYS = 7;

/** The outbox file of a shop-local day. */
export function outboxFile(dir: string, day: string): string {
  return path.join(dir, `sms-${day}.csv`);
}

const reasonOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]!;

function writeAll(fd: number, bytes: Buffer): void {
  for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd, bytes, off);
}

/** fsync of the folder, so a new file's name survives a crash too (not possible everywhere: then skipped). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some file systems cannot open or sync a folder.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** What linkSync fails with on a file system without hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Writes a new file holding only the header (`wx`: fails with EEXIST if it exists), synced. */
function writeHeader(file: string): void {
  const fd = fs.openSync(file, 'wx', 0o600); // messages name customers: the owner's only
  try {
    writeAll(fd, Buffer.from(HEADER, 'utf8'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes `file` with its header unless it exists; safe against another process doing the same. */
function ensureFile(file: string): void {
  if (fs.existsSync(file)) return;
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeHeader(tmp);
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return; // another process made it meanwhile
      if (!NO_LINKS.has(code)) throw e;
      // No hard links here (FAT, some shares): exclusive create, then the header, a tiny window
      // in which a racing appender could write first.
      try {
        writeHeader(file);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw e2;
      }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(dir);
}

/** Appends the lines in one write on an O_APPEND descriptor, then fsync. */
function append(file: string, text: string): void {
  ensureFile(file);
  const fd = fs.openSync(file, 'a');
  try {
    writeAll(fd, Buffer.from(text, 'utf8'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The delivery ids in one outbox file (none if it does not exist). */
export function idsInFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const rows = papa().parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  const at = rows[0]?.indexOf('delivery_id') ?? -1;
  if (at < 0) return [];
  return rows.slice(1).map((r) => r[at] ?? '').filter((id) => id !== '');
}

export function outboxChannel(config: ChannelConfig): Channel {
  const today = () => localDay(config.now(), config.zone);
  return {
    name: 'outbox',
    needs: 'phone',
    batchSize: 500,
    async send(batch) {
      const file = outboxFile(config.outboxDir, today());
      const lines = batch.filter((m) => m.phone).map((m) => csvLine([m.phone!, m.text, m.deliveryId], NEWLINE));
      let failed: string | undefined;
      if (lines.length > 0) {
        try {
          append(file, lines.join(''));
        } catch (e) {
          failed = translate(config.lang, 'channel.fail.outbox', { path: file, reason: reasonOf(e) });
        }
      }
      return batch.map((m): Outcome => {
        if (!m.phone) return { deliveryId: m.deliveryId, ok: false, error: translate(config.lang, 'channel.fail.noPhone') };
        return failed === undefined ? { deliveryId: m.deliveryId, ok: true } : { deliveryId: m.deliveryId, ok: false, error: failed };
      });
    },
    async delivered(ids) {
      const wanted = new Set(ids);
      const found = new Set<string>();
      if (wanted.size === 0) return found;
      const day = today();
      for (let back = 0; back <= OUTBOX_LOOKBACK_DAYS; back++) {
        for (const id of idsInFile(outboxFile(config.outboxDir, addDays(day, -back)))) if (wanted.has(id)) found.add(id);
      }
      return found;
    },
    async close() {},
  };
}
