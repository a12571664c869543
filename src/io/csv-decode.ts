// Bytes to text for the CSV reader. A file is decoded a run of whole lines at a time (a line break
// is the same byte in UTF-8, GBK and GB18030, and never inside a character), each line in the
// file's encoding, or in the other of UTF-8 and GBK where the file mixes them (two exports pasted
// together): in a GBK file a line that is valid UTF-8 and reads as no plausible GBK is UTF-8; in a
// UTF-8 file a line that is not UTF-8 but reads as plain GBK is GBK. A line that is text in neither
// is reported as broken, by where its replacement characters stand in the text, so that a U+FFFD
// the file holds as text is told apart from a byte that is not text.
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

/** The two-byte characters of GBK bytes that are GB2312's first level: the 3,755 hanzi of everyday text (lead bytes B0 to D7). */
function commonHanzi(bytes: Buffer): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    if (b >= 0xb0 && b <= 0xd7) n++;
    i++;
  }
  return n;
}

/**
 * Whether a line of a GBK file is UTF-8: valid UTF-8 whose GBK reading is implausible. A line that
 * reads as plain text both ways (UTF-8 Chinese pairs into GB2312 characters now and then: 上海 does)
 * is the reading with more everyday hanzi: UTF-8 read as GBK gives rare ones (its lead bytes E4 to
 * E9 are GB2312's second level), GBK that happens to be valid UTF-8 gives random ones. A tie is GBK.
 */
function utf8InGbk(line: Buffer): boolean {
  if (!isUtf8(line)) return false;
  if (!plainGbk(line)) return true;
  const text = line.toString('utf8');
  if (text.length === line.length) return false; // ASCII: the same either way
  return commonHanzi(iconv().encode(text, 'gbk')) > commonHanzi(line);
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

/** A run of lines of a UTF-8 file: as a whole when it is valid UTF-8; else line by line, a line that is not UTF-8 read as GBK if it is plain GBK. */
function decodeUtf8Run(out: Out, bytes: Buffer): void {
  if (isUtf8(bytes)) return out.add(bytes.toString('utf8'), false);
  eachLine(bytes, (s, e) => {
    const line = bytes.subarray(s, e);
    if (isUtf8(line)) out.add(line.toString('utf8'), false);
    else if (plainGbk(line)) addGb(out, line, 'gb18030');
    else out.add(line.toString('utf8'), true);
  });
}

/** The encoding a file in `encoding` may have lines in too (read line by line where it does): GBK in UTF-8, UTF-8 in GBK. */
export function otherEncoding(encoding: string): string | null {
  if (encoding === 'utf-8' || encoding === 'utf8') return 'gbk';
  return GB.test(encoding) ? 'utf-8' : null;
}

/** The text of a file in `encoding`, in runs of whole lines, with the offsets of characters that stand for broken bytes. */
export async function* decodeFile(file: string, encoding: string): AsyncGenerator<DecodedText> {
  const out = new Out(0);
  if (WIDE.test(encoding)) {
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
  const gb = GB.test(encoding);
  for await (const run of lineRuns(file)) {
    if (encoding === 'utf-8' || encoding === 'utf8') decodeUtf8Run(out, run);
    else if (gb) decodeGbRun(out, run, encoding);
    else out.add(iconv().decode(run, encoding), true);
    yield out.take();
  }
}
