// The names crm gives backups, which of a folder's files are backups of a book, in which order,
// which a rotation removes, and when the daily one was taken.
import { describe, expect, it } from 'vitest';
import { backupFileName, backupStamp, backupStem, beyondKeep, newestFirst, parseBackupName, sizeText, stampInstant, takenOn } from '../../src/core/backup.js';

describe('backup names', () => {
  it('names a copy by the book and the shop time, with -2 for a second copy in the same second', () => {
    expect(backupStem('shop.db')).toBe('shop');
    expect(backupStem('crm')).toBe('crm');
    expect(backupStem('.hidden')).toBe('.hidden');
    const stamp = backupStamp(new Date('2026-11-22T02:00:00Z'), 'Asia/Shanghai');
    expect(stamp).toBe('2026-11-22T100000');
    expect(backupFileName('shop', stamp)).toBe('shop-2026-11-22T100000.db');
    expect(backupFileName('shop', stamp, 2)).toBe('shop-2026-11-22T100000-2.db');
    expect(stampInstant(stamp, 'Asia/Shanghai')).toBe('2026-11-22T10:00:00+08:00');
    expect(stampInstant(stamp, 'UTC')).toBe('2026-11-22T10:00:00+00:00');
  });

  it("takes only this book's names for backups, newest first, and keeps the N newest", () => {
    const files = ['shop-2026-11-20T030000.db', 'shop-2026-11-22T030000-2.db', 'shop-2026-11-22T030000.db', 'shop-2026-11-21T030000.db', 'shop.db', 'shop-notes.db', 'shopping-2026-11-23T030000.db', 'shop-2026-11-23T030000.db.tmp', '.crm-backup-12-ab.tmp'];
    expect(parseBackupName('shop', 'shop-2026-11-22T030000-2.db')).toEqual({ file: 'shop-2026-11-22T030000-2.db', stamp: '2026-11-22T030000', n: 2 });
    expect(parseBackupName('shop', 'shopping-2026-11-23T030000.db')).toBeNull();
    expect(parseBackupName('sh.p', 'shop-2026-11-23T030000.db')).toBeNull(); // a dot in the stem is a dot
    expect(newestFirst('shop', files).map((b) => b.file)).toEqual(['shop-2026-11-22T030000-2.db', 'shop-2026-11-22T030000.db', 'shop-2026-11-21T030000.db', 'shop-2026-11-20T030000.db']);
    expect(beyondKeep('shop', files, 2).map((b) => b.file)).toEqual(['shop-2026-11-21T030000.db', 'shop-2026-11-20T030000.db']);
    expect(beyondKeep('shop', files, 10)).toEqual([]);
    const [newest] = newestFirst('shop', files);
    expect(takenOn(newest!, '2026-11-22')).toBe(true);
    expect(takenOn(newest!, '2026-11-23')).toBe(false);
  });

  it('gives sizes for people', () => {
    expect([sizeText(812), sizeText(4096), sizeText(12.3 * 1024 * 1024), sizeText(1.2 * 1024 ** 3)]).toEqual(['812 B', '4.0 KB', '12.3 MB', '1.2 GB']);
  });
});
