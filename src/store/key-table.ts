// Which customers may have a key (a phone, an email, a member number, a name), held in memory for a
// bulk load whose look-up indexes are built after the rows. An open-addressing hash table of 32-bit
// key hashes and ids in typed arrays: 8 bytes a slot (12 once an id passes 2^32), so a million
// customers' keys take ~30 MB where a Map of the strings takes ~150 MB. A hash can collide and a key can go stale (an update changed
// the email), so a candidate is only a candidate: the caller checks it against the database.

const LOAD = 0.7;

/** FNV-1a over the UTF-16 code units; never 0, which marks an empty slot. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

export class KeyTable {
  private hashes: Uint32Array;
  private ids: Uint32Array | Float64Array;
  private size = 0;

  constructor(expectedKeys = 1024) {
    const capacity = Math.max(64, Math.ceil(expectedKeys / LOAD));
    this.hashes = new Uint32Array(capacity);
    this.ids = new Uint32Array(capacity);
  }

  /** Notes that customer `id` has `key` (again: no second entry). */
  add(key: string, id: number): void {
    if (id > 0xffffffff && this.ids instanceof Uint32Array) this.ids = Float64Array.from(this.ids); // an id from a file
    const h = hash(key);
    const cap = this.hashes.length;
    let i = h % cap;
    while (this.hashes[i] !== 0) {
      if (this.hashes[i] === h && this.ids[i] === id) return;
      i = i + 1 === cap ? 0 : i + 1;
    }
    this.hashes[i] = h;
    this.ids[i] = id;
    if (++this.size > cap * LOAD) this.grow();
  }

  /** The ids that may have `key`, ascending. */
  candidates(key: string): number[] {
    const h = hash(key);
    const cap = this.hashes.length;
    const found: number[] = [];
    for (let i = h % cap; this.hashes[i] !== 0; i = i + 1 === cap ? 0 : i + 1) {
      if (this.hashes[i] === h) found.push(this.ids[i]!);
    }
    return found.length > 1 ? found.sort((a, b) => a - b) : found;
  }

  private grow(): void {
    const [hashes, ids] = [this.hashes, this.ids];
    const cap = hashes.length * 2;
    this.hashes = new Uint32Array(cap);
    this.ids = ids instanceof Uint32Array ? new Uint32Array(cap) : new Float64Array(cap);
    for (let j = 0; j < hashes.length; j++) {
      const h = hashes[j]!;
      if (h === 0) continue;
      let i = h % cap;
      while (this.hashes[i] !== 0) i = i + 1 === cap ? 0 : i + 1;
      this.hashes[i] = h;
      this.ids[i] = ids[j]!;
    }
  }
}
