// A customer's custom fields: names are data. Every field map is an object without a prototype and
// is written with defineProperty, so a field named __proto__, constructor or toString is a field
// like any other (kept by add, show, export and import), never a property with a meaning of its own.

export type Fields = Record<string, string>;

/** An empty field map (no prototype: `constructor` is not in it until a field of that name is). */
export function emptyFields(): Fields {
  return Object.create(null) as Fields;
}

/** Sets a field, whatever its name (`fields.__proto__ = v` would set a prototype on a plain object). */
export function setField(fields: Fields, key: string, value: string): void {
  Object.defineProperty(fields, key, { value, writable: true, enumerable: true, configurable: true });
}

export function hasField(fields: Readonly<Fields>, key: string): boolean {
  return Object.hasOwn(fields, key);
}

/** A field's value, or undefined when the customer has no field of that name. */
export function fieldValue(fields: Readonly<Fields>, key: string): string | undefined {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

/** A field map copied from an object's own fields or from pairs (a JSON.parse result, another record's map). */
export function fieldsOf(source: Readonly<Fields> | Iterable<readonly [string, string]> | null | undefined): Fields {
  const out = emptyFields();
  if (!source) return out;
  const pairs = Symbol.iterator in source ? (source as Iterable<readonly [string, string]>) : Object.entries(source);
  for (const [k, v] of pairs) setField(out, k, v);
  return out;
}
