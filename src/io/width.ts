// How many terminal columns text takes: East Asian wide and full-width characters take two
// (Unicode East Asian Width, from get-east-asian-width), combining marks none, colour codes none.
import { eastAsianWidth } from 'get-east-asian-width';

const ANSI = /\x1b\[[0-9;]*m/g;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(ANSI, '')) {
    if (ZERO_WIDTH.test(ch)) continue;
    width += eastAsianWidth(ch.codePointAt(0)!);
  }
  return width;
}
