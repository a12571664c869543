// A column of numbers read from SQLite row by row, kept in a typed array that grows as it fills: a
// million ids in 4 MB rather than a JavaScript array and then a typed copy of it.

type Typed = Int32Array | Float64Array;

export class Column<T extends Typed> {
  private data: T;
  length = 0;

  constructor(private readonly make: new (n: number) => T, capacity = 1 << 16) {
    this.data = new make(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const more = new this.make(Math.ceil(this.data.length * 1.5));
      more.set(this.data);
      this.data = more;
    }
    this.data[this.length++] = x;
  }

  /** The numbers pushed, as a view of the column's memory (handed on, not copied). */
  values(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
