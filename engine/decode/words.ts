// Register words ↔ value bytes, for every word order. The C++ firmware core reproduces this module
// bit for bit from test/vectors/decode.json, so the definition below is the contract.
//
// Let the value be V, written as its big-endian bytes A B C D (32-bit) or A B C D E F G H (64-bit),
// A being the most significant byte. Let the logical words be W0 = (A,B), W1 = (C,D), … with W0 the
// most significant word, and swap(W) the word with its two bytes exchanged. The words on the wire
// (register at the lowest address first) are then:
//
//   ABCD  W0, W1, …, Wn-1                     high word first, bytes big-endian  (the Modbus norm)
//   CDAB  Wn-1, …, W1, W0                     low word first, bytes big-endian
//   BADC  swap(W0), swap(W1), …, swap(Wn-1)   high word first, bytes swapped in each word
//   DCBA  swap(Wn-1), …, swap(W1), swap(W0)   the whole value little-endian
//
// So for 64-bit, ABCD = A B C D E F G H, CDAB = G H E F C D A B, BADC = B A D C F E H G and
// DCBA = H G F E D C B A as the byte stream on the wire. For 16-bit types (one word) ABCD and CDAB
// are the word as is, BADC and DCBA swap its two bytes. Strings ignore the word order: they are
// always two ASCII characters per register, high byte first (see decode.ts).
import type { WordOrder } from "../model.js";
import { DecodeError } from "./decode-error.js";

export const wordOrders: readonly WordOrder[] = ["ABCD", "CDAB", "BADC", "DCBA"];

function reversesWords(order: WordOrder): boolean {
  return order === "CDAB" || order === "DCBA";
}

function swapsBytes(order: WordOrder): boolean {
  return order === "BADC" || order === "DCBA";
}

function checkOrder(order: string): asserts order is WordOrder {
  if (!(wordOrders as readonly string[]).includes(order)) {
    throw new DecodeError("DECODE_E_WORD_ORDER", `unknown word order "${order}" (ABCD, CDAB, BADC or DCBA)`);
  }
}

/** Throws unless every word is an integer 0…65535. */
export function checkWords(words: readonly number[]): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === undefined || !Number.isInteger(w) || w < 0 || w > 0xffff) {
      throw new DecodeError("DECODE_E_WORD_VALUE", `word ${i} is ${String(w)}, not an integer 0…65535`);
    }
  }
}

/** The value's bytes, most significant first, from its register words in the given word order. */
export function wordsToBytes(words: readonly number[], order: WordOrder): Uint8Array {
  const bytes = new Uint8Array(words.length * 2);
  wordsIntoBytes(words, order, bytes);
  return bytes;
}

/** Like wordsToBytes, into `target` (at least 2 × words.length bytes long), so hot paths need not allocate. */
export function wordsIntoBytes(words: readonly number[], order: WordOrder, target: Uint8Array): void {
  checkOrder(order);
  checkWords(words);
  const n = words.length;
  const reverse = reversesWords(order);
  const swap = swapsBytes(order);
  for (let wire = 0; wire < n; wire++) {
    const logical = reverse ? n - 1 - wire : wire;
    const w = words[wire] as number;
    target[logical * 2] = swap ? w & 0xff : w >> 8;
    target[logical * 2 + 1] = swap ? w >> 8 : w & 0xff;
  }
}

/** The register words, in the given word order, that carry these bytes (most significant first). */
export function bytesToWords(bytes: Uint8Array, order: WordOrder): number[] {
  checkOrder(order);
  if (bytes.length % 2 !== 0) {
    throw new DecodeError("DECODE_E_WORD_COUNT", `${bytes.length} bytes are not a whole number of words`);
  }
  const n = bytes.length / 2;
  const words: number[] = [];
  for (let wire = 0; wire < n; wire++) {
    const logical = reversesWords(order) ? n - 1 - wire : wire;
    const hi = bytes[logical * 2] as number;
    const lo = bytes[logical * 2 + 1] as number;
    words.push(swapsBytes(order) ? (lo << 8) | hi : (hi << 8) | lo);
  }
  return words;
}
