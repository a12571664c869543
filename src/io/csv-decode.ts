// Bytes to text for the CSV reader. A file is decoded a run of whole lines at a time (a line break
// is the same byte in UTF-8, GBK and GB18030, and never inside a character), each line in the
// file's encoding, or, where crm detected the encoding (`mixes`), in the other of UTF-8 and GBK
// where the file mixes them (two exports pasted together): in a GBK file a line is UTF-8 only when
// it is valid UTF-8 that reads as plausible text and reads worse as GBK (utf8InGbk); in a UTF-8
// file a line that is not UTF-8 but reads as plain GBK is GBK. An encoding the user named is never
// second-guessed. A line that is text in neither is reported as broken, by where its replacement
// characters stand in the text, so that a U+FFFD the file holds as text is told apart from a byte
// that is not text.
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');

/** Bytes read at a time. */
const READ_BYTES = 256 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A run of decoded text, and where in the whole text (offsets from its start) characters stand for bytes that are not text. */
export interface DecodedText {
  text: string;
  broken: number[];
}

/** Encodings whose bytes 0x0A and 0x0D may be part of a character: they are decoded as one stream. */
const WIDE = /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/;
const GB = /^(gb18030|gbk|gb2312|cp936|euc-?cn)$/;

/**
 * Where the lines of `bytes` read so far end: after its last LF, or before a CR at its very end
 * (its LF may come next), or after its last CR; 0 when it holds no line break yet.
 */
function lineCut(bytes: Buffer): number {
  const lf = bytes.lastIndexOf(LF);
  if (lf >= 0) return lf + 1;
  const cr = bytes.lastIndexOf(CR);
  if (cr < 0) return 0;
  return cr === bytes.length - 1 ? cr : cr + 1;
}

/** The file's bytes in runs of whole lines (a UTF-8 BOM at its start left out). */
async function* lineRuns(file: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let first = true;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_BYTES })) {
    let bytes = chunk as Buffer;
    if (first) {
      first = false;
      if (bytes.subarray(0, 3).equals(UTF8_BOM)) bytes = bytes.subarray(3);
    }
    const cut = lineCut(bytes);
    if (cut === 0) {
      pending.push(bytes); // a long line: kept until it ends
      continue;
    }
    pending.push(bytes.subarray(0, cut));
    yield pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = cut < bytes.length ? [bytes.subarray(cut)] : [];
  }
  if (pending.length) yield Buffer.concat(pending);
}

/**
 * Whether bytes read as GBK are plain Chinese text: every two-byte character in GB2312's symbols
 * or hanzi (what Chinese Excel and POS systems write). UTF-8 read as GBK falls outside it at once:
 * 张伟 (E5 BC A0 E4 BC 9F) pairs into 寮犱紵, whose A0 E4 is no GB2312 character.
 */
export function plainGbk(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const t = bytes[i + 1] ?? 0;
    if (!((b >= 0xa1 && b <= 0xa9) || (b >= 0xb0 && b <= 0xf7)) || t < 0xa1 || t > 0xfe) return false;
    i++;
  }
  return true;
}

/** The two-byte characters of GBK bytes that are GB2312's first level: the 3,755 hanzi of everyday text (B0A1 to D7FE). */
function commonHanzi(bytes: Buffer): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const t = bytes[i + 1] ?? 0;
    if (b >= 0xb0 && b <= 0xd7 && t >= 0xa1 && t <= 0xfe) n++;
    i++;
  }
  return n;
}

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiWord = (c: number) => isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x20;

/** Characters of Chinese (Japanese, Korean) text: ideographs, kana, hangul, CJK and full-width punctuation. */
function cjk(c: number): boolean {
  return (c >= 0x3000 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x3134f);
}

/** Signs text uses anywhere: punctuation, currency, letterlike, arrows, maths, shapes, dingbats, emoji, U+FFFD. */
function sign(c: number): boolean {
  return (c >= 0x2010 && c <= 0x27bf) || (c >= 0x1f000 && c <= 0x1faff) || c === 0xfffd;
}

/** Latin-1's signs (¥ ° · © « » × ÷): plausible beside a letter, digit or space (¥100, 25°C, 5×3). */
const latin1Sign = (c: number) => (c >= 0xa1 && c <= 0xbf) || c === 0xd7 || c === 0xf7;

/** Letters of a Latin script beyond ASCII (é, ü, ñ, ł, ğ, Vietnamese ế). */
function latin(c: number): boolean {
  return (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff);
}

/**
 * How a line's UTF-8 reading reads: 'cjk' (Chinese characters, nothing implausible), 'text'
 * (accented Latin inside words, Greek or Cyrillic words, signs), or null: implausible. GBK bytes
 * that happen to be valid UTF-8 (莫詩 C4 AA D4 8A is "ĪԊ", 聽 C2 A0 a no-break space) give lone
 * letters of Latin Extended, Cyrillic, Armenian or Hebrew between Chinese ones, C1 controls,
 * combining marks, private use: any of them makes the reading implausible.
 */
export function utf8Reading(text: string): 'cjk' | 'text' | null {
  let han = false;
  const cps = Array.from(text, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c < 0x80) continue;
    const prev = cps[i - 1] ?? 0;
    const next = cps[i + 1] ?? 0;
    if (cjk(c)) han = true;
    else if (sign(c)) continue;
    else if (latin1Sign(c)) {
      if (!isAsciiWord(prev) && !isAsciiWord(next)) return null;
    } else if (latin(c)) {
      // In a word with ASCII letters (José, Müller, Łukasz), never alone between other characters.
      const inWord = isAsciiLetter(prev) || isAsciiLetter(next) || (latin(prev) && isAsciiLetter(cps[i - 2] ?? 0)) || (latin(next) && isAsciiLetter(cps[i + 2] ?? 0));
      if (!inWord) return null;
    } else if ((c >= 0x391 && c <= 0x3c9) || (c >= 0x410 && c <= 0x44f)) {
      // Greek or Russian letters in a word of two or more.
      const same = (d: number) => (c < 0x400 ? d >= 0x391 && d <= 0x3c9 : d >= 0x410 && d <= 0x44f);
      if (!same(prev) && !same(next)) return null;
    } else return null;
  }
  return han ? 'cjk' : 'text';
}

/** Whether GBK bytes put a two-byte character between two ASCII letters (M眉ller: UTF-8's Müller read as GBK). */
function hanziInWord(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    if (isAsciiLetter(bytes[i - 1] ?? 0) && isAsciiLetter(bytes[i + 2] ?? 0)) return true;
    i++;
  }
  return false;
}

/**
 * Whether a line of a GBK file is UTF-8: valid UTF-8 whose UTF-8 reading is plausible text
 * (utf8Reading) and whose GBK reading is worse. UTF-8 Chinese read as GBK mostly falls outside
 * GB2312 at once (张伟 E5 BC A0 E4 BC 9F pairs into 寮犱紵, whose A0 E4 is no GB2312 character),
 * and GBK valid as UTF-8 almost never reads as Chinese. Where both readings are plain (UTF-8
 * Chinese pairs into GB2312 characters now and then: 上海 does), the one with more everyday hanzi
 * wins: UTF-8 read as GBK gives rare ones, its lead bytes E4 to E9 being GB2312's second level; a
 * tie is GBK. Latin text is UTF-8 where its GBK reading is not plain or puts hanzi inside words.
 */
export function utf8InGbk(line: Buffer): boolean {
  if (!isUtf8(line)) return false;
  const text = line.toString('utf8');
  if (text.length === line.length) return false; // ASCII: the same either way
  const reading = utf8Reading(text);
  if (reading === null) return false;
  if (!plainGbk(line)) return true;
  if (reading === 'text' && hanziInWord(line)) return true;
  return commonHanzi(iconv().encode(text, 'gbk')) > commonHanzi(line);
}

/**
 * Whether a line read as GBK is no plausible Chinese text: bytes that are no GBK character (a lead
 * byte before one no character ends with: windows-1252's José, E9 20), a two-byte character
 * between ASCII letters (windows-1252's Müller is M黮ler), or characters of GBK's user-defined
 * areas and of GB2312's rows of kana, Greek, Cyrillic, pinyin and box drawing (Big5's 姓名,手機
 * read as GBK is ﹎,も诀). Traditional characters GBK has are plausible.
 */
export function oddGbk(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b < 0x80) continue;
    const t = line[i + 1] ?? 0;
    if (b === 0x80 || b === 0xff || t < 0x40 || t === 0x7f || t === 0xff) return true;
    if (t < 0xa1 ? b >= 0xa1 && b <= 0xa7 : (b >= 0xa4 && b <= 0xa9) || (b >= 0xaa && b <= 0xaf) || b >= 0xf8) return true;
    if (isAsciiLetter(line[i - 1] ?? 0) && isAsciiLetter(line[i + 2] ?? 0)) return true;
    i++;
  }
  return false;
}

/** Collects decoded text and the offsets of its broken characters. */
class Out {
  parts: string[] = [];
  broken: number[] = [];
  constructor(public offset: number) {}

  add(text: string, broken: boolean): void {
    if (broken) for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) this.broken.push(this.offset + i);
    this.parts.push(text);
    this.offset += text.length;
  }

  take(): DecodedText {
    const d = { text: this.parts.length === 1 ? this.parts[0]! : this.parts.join(''), broken: this.broken };
    this.parts = [];
    this.broken = [];
    return d;
  }
}

/** Calls `each` with every line of `bytes`, up to and with its line break (CRLF, LF or an old Mac's CR). */
function eachLine(bytes: Buffer, each: (start: number, end: number) => void): void {
  let lf = -1;
  let cr = -1;
  for (let s = 0; s < bytes.length; ) {
    if (lf < s) lf = bytes.indexOf(LF, s) >>> 0; // none: 2^32 - 1, after any end
    if (cr < s) cr = bytes.indexOf(CR, s) >>> 0;
    const at = Math.min(lf, cr);
    const e = at >= bytes.length ? bytes.length : at === cr && bytes[cr + 1] === LF ? cr + 2 : at + 1;
    each(s, e);
    s = e;
  }
}

/** Decodes bytes in a GB encoding; its replacement characters are broken bytes, unless GB18030 wrote U+FFFD itself (84 31 A4 37). */
function addGb(out: Out, bytes: Buffer, encoding: string): void {
  const text = iconv().decode(bytes, encoding);
  out.add(text, !text.includes('\uFFFD') ? false : !bytes.includes(Buffer.from([0x84, 0x31, 0xa4, 0x37])));
}

/** A run of lines of a GBK file: GBK, but for the lines that are UTF-8. */
function decodeGbRun(out: Out, bytes: Buffer, encoding: string): void {
  let from = 0;
  eachLine(bytes, (s, e) => {
    const line = bytes.subarray(s, e);
    if (!utf8InGbk(line)) return;
    if (from < s) addGb(out, bytes.subarray(from, s), encoding);
    out.add(line.toString('utf8'), false);
    from = e;
  });
  if (from < bytes.length) addGb(out, bytes.subarray(from), encoding);
}

/** A run of lines of a UTF-8 file: as a whole when it is valid UTF-8; else line by line, a line that is not UTF-8 read as GBK if it is plain GBK (`mix`) or refused. */
function decodeUtf8Run(out: Out, bytes: Buffer, mix: boolean): void {
  if (isUtf8(bytes)) return out.add(bytes.toString('utf8'), false);
  eachLine(bytes, (s, e) => {
    const line = bytes.subarray(s, e);
    if (isUtf8(line)) out.add(line.toString('utf8'), false);
    else if (mix && plainGbk(line)) addGb(out, line, 'gb18030');
    else out.add(line.toString('utf8'), true);
  });
}

/**
 * Whether a file in `encoding` is read line by line as UTF-8 and GBK mixed: only where crm
 * detected it (openCsv names a detected encoding 'utf-8' or 'gb18030'; one the user gave with
 * --encoding is spelt otherwise, see checkEncoding, and is taken as given).
 */
export function mixes(encoding: string): boolean {
  return encoding === 'utf-8' || encoding === 'gb18030';
}

/** The encoding a file in `encoding` may have lines in too (read line by line where it does): GBK in UTF-8, UTF-8 in GBK; none for an encoding the user named. */
export function otherEncoding(encoding: string): string | null {
  if (!mixes(encoding)) return null;
  return encoding === 'utf-8' ? 'gbk' : 'utf-8';
}

/** The text of a file in `encoding`, in runs of whole lines, with the offsets of characters that stand for broken bytes. */
export async function* decodeFile(file: string, encoding: string): AsyncGenerator<DecodedText> {
  const out = new Out(0);
  const enc = encoding.toLowerCase();
  if (WIDE.test(enc)) {
    // Two bytes a character: a line break byte may be half of another character.
    const decoder = iconv().getDecoder(encoding, { stripBOM: true });
    for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_BYTES })) {
      out.add(decoder.write(chunk as Buffer), false);
      yield out.take();
    }
    out.add(decoder.end() ?? '', false);
    yield out.take();
    return;
  }
  const mix = mixes(encoding);
  const utf8 = enc === 'utf-8' || enc === 'utf8';
  const gb = GB.test(enc);
  for await (const run of lineRuns(file)) {
    if (utf8) decodeUtf8Run(out, run, mix);
    else if (gb && mix) decodeGbRun(out, run, encoding);
    else if (gb) addGb(out, run, encoding);
    else out.add(iconv().decode(run, encoding), true);
    yield out.take();
  }
}
