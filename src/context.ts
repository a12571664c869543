// The one context built in src/cli.ts and handed to every command: streams (with their TTY flags),
// environment, language, clock, database and settings. Commands and core never reach for
// process.*, new Date() or console directly, so tests can run them with fakes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Settings, SettingsEnv } from './core/settings.js';
import { badInput, failure } from './errors.js';
import { translate, type Lang, type MessageId, type Params } from './messages/index.js';
import { terminalText } from './io/width.js';
import type { Db, WriteHolder } from './store/db.js';

/** Text for a stream: at a terminal, only line breaks, tabs and crm's own colour codes (io/width.ts ownStyle) are left as control characters. */
function forTerminal(stream: { isTTY?: boolean }, text: string): string {
  return terminalText(text, Boolean(stream.isTTY));
}

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
}
export type Env = Record<string, string | undefined>;

const READ_ONLY = new WeakSet<object>();

/**
 * Declares commands that only read (listings, profiles, reports, exports): on a path where no
 * database exists they refuse instead of creating an empty one (a typo in --db is not a new shop).
 * Every other command creates the database it is pointed at.
 */
export function readOnly(...commands: object[]): void {
  for (const c of commands) READ_ONLY.add(c);
}

/** The per-user default database: $XDG_DATA_HOME/crm/crm.db (Linux), ~/Library/Application Support/crm (macOS), %APPDATA%\crm (Windows). */
export function defaultDbPath(env: Env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'crm', 'crm.db');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'crm', 'crm.db');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'crm', 'crm.db');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads CRM_NOW: ISO 8601 (2026-02-16T09:00:00+08:00); without an offset, the machine's local time.
 * (A bare date is resolved by Context.prepareClock: noon of that day in the shop's zone.)
 */
export function parseNow(raw: string): Date {
  const ms = Date.parse(raw.trim());
  if (!ISO_INSTANT.test(raw.trim()) || Number.isNaN(ms)) throw badInput('err.now', { value: raw });
  return new Date(ms);
}

/** The machine's time zone, as Intl gives it (UTC when it gives none); asked each time (a test may set TZ). */
function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export class Context {
  debug = false;
  /** The command running (set as it starts): what a table's note on left-out columns may offer. */
  command: { options: readonly { long?: string }[] } | undefined;
  private dbOption: string | undefined;
  private openDb: Db | undefined;
  private cachedSettings: Settings | undefined;
  private fixedNow: Date | null | undefined;

  constructor(
    readonly io: Io,
    readonly env: Env,
    readonly lang: Lang,
  ) {}

  t(id: MessageId, params?: Params): string {
    return translate(this.lang, id, params);
  }

  /** The current time: CRM_NOW when set (tests, back-filling), else the system clock. */
  now(): Date {
    if (this.fixedNow === undefined) this.fixedNow = this.env.CRM_NOW ? parseNow(this.env.CRM_NOW) : null;
    return this.fixedNow ? new Date(this.fixedNow) : new Date();
  }

  /**
   * A bare date in CRM_NOW (2026-02-16) means noon of that day in the shop's time zone, so the
   * shop's settings are read first; called before every command runs.
   */
  async prepareClock(): Promise<void> {
    const raw = this.env.CRM_NOW?.trim();
    if (!raw || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || this.fixedNow) return;
    const { timezone } = await this.settings();
    const { DateTime } = await import('luxon');
    const noon = DateTime.fromISO(`${raw}T12:00:00`, { zone: timezone });
    if (!noon.isValid) throw badInput('err.now', { value: raw });
    this.fixedNow = noon.toJSDate();
  }

  /** Today in the shop's time zone (YYYY-MM-DD): the day a report is for unless --as-of says otherwise. */
  async today(): Promise<string> {
    const { timezone } = await this.settings();
    const { localDay } = await import('./core/dates.js');
    return localDay(this.now(), timezone);
  }

  /** How this crm was started (node and the script), for a crontab line with absolute paths. */
  get launcher(): { node: string; script: string } {
    return { node: process.execPath, script: path.resolve(process.argv[1] ?? 'crm') };
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /** Prompts are allowed only with a person at a terminal: stdin and stderr (where prompts draw) are TTYs. */
  get interactive(): boolean {
    return Boolean(this.io.stdin.isTTY && this.io.stderr.isTTY);
  }

  /**
   * Colour on stdout: FORCE_COLOR=1|2|3|true (or set but empty, as Node and chalk read it) turns it on
   * (even through a pipe) and FORCE_COLOR=0|false off; else NO_COLOR (any value) or TERM=dumb turns it
   * off; else it is on at a terminal only.
   */
  get color(): boolean {
    const force = this.env.FORCE_COLOR?.trim().toLowerCase();
    if (force === '' || force === '1' || force === '2' || force === '3' || force === 'true') return true;
    if (force === '0' || force === 'false') return false;
    if (this.env.NO_COLOR || this.env.TERM === 'dumb') return false;
    return Boolean(this.io.stdout.isTTY);
  }

  setDbOption(db: string | undefined): void {
    this.dbOption = db;
  }

  /** --db, else CRM_DB, else the per-user default. */
  get dbPath(): string {
    return this.dbOption || this.env.CRM_DB || defaultDbPath(this.env);
  }

  /**
   * What setting defaults depend on: the interface language and the machine's time zone. The zone is
   * asked of ICU only when a default needs it (a new shop, a shop without a valid zone): the first
   * Intl.DateTimeFormat starts ICU's date formatting, ~13 ms of a start.
   */
  get settingsEnv(): SettingsEnv {
    return { lang: this.lang, get zone() { return machineZone(); } };
  }

  /**
   * Opens the database on first use (and runs migrations); a read-only command refuses a path with
   * no database rather than create one. A new database records the machine's
   * time zone as the shop's, so that a cron job in a UTC container and a terminal in Shanghai
   * agree on which day an order falls.
   */
  async db(): Promise<Db> {
    if (!this.openDb) {
      if (/^postgres(ql)?:\/\//i.test(this.dbPath)) {
        const { displayUrl } = await import('./store/postgres.js');
        throw failure('err.pg.notYet', { url: displayUrl(this.dbPath) });
      }
      const { openDatabase } = await import('./store/db.js');
      const { sweepLeftovers } = await import('./io/files.js');
      sweepLeftovers();
      const isNew = !fs.existsSync(this.dbPath) || fs.statSync(this.dbPath).size === 0;
      if (isNew && this.command && READ_ONLY.has(this.command)) throw failure('err.db.missing', { path: this.dbPath });
      this.openDb = openDatabase(this.dbPath, { onWait: (holder) => this.sayWaiting(holder) });
      if (isNew) {
        const { readSettings, writeSetting } = await import('./store/settings.js');
        if (!('timezone' in readSettings(this.openDb))) writeSetting(this.openDb, 'timezone', this.settingsEnv.zone);
      }
    }
    return this.openDb;
  }

  /** Said once when a write waits for another writer: who it waits for, if a crm left its name. */
  private sayWaiting(holder: WriteHolder | null): void {
    if (!holder) this.err(this.t('msg.db.waiting', { path: this.dbPath }));
    else if (holder.what === 'import') this.err(this.t('msg.db.waitingImport', { pid: holder.pid }));
    else this.err(this.t('msg.db.waitingFor', { what: holder.what, pid: holder.pid }));
  }

  async settings(): Promise<Settings> {
    if (!this.cachedSettings) {
      const { readSettings } = await import('./store/settings.js');
      const { resolveSettings } = await import('./core/settings.js');
      this.cachedSettings = await resolveSettings(readSettings(await this.db()), this.settingsEnv);
    }
    return this.cachedSettings;
  }

  forgetSettings(): void {
    this.cachedSettings = undefined;
  }

  /** A line (or lines) on stdout; at a terminal, control characters a value brought are written out (width.ts). */
  out(text: string): void {
    this.io.stdout.write(forTerminal(this.io.stdout, text.endsWith('\n') ? text : `${text}\n`));
  }

  /** A message on stderr, as out. */
  err(text: string): void {
    this.io.stderr.write(forTerminal(this.io.stderr, text.endsWith('\n') ? text : `${text}\n`));
  }

  close(): void {
    const db = this.openDb;
    this.openDb = undefined;
    try {
      db?.close();
    } catch {
      // A command that failed in the middle of a read may leave its cursor open, and SQLite will
      // not close under it: the error is said already, and the process's end closes the file.
    }
  }
}
