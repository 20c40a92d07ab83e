// The dense block's matrix–vector product as a WebAssembly SIMD function, for the
// array-form simulation loop (codegen.ts): two rows per f64x2 lane pair, sixteen
// rows per pass in eight accumulators, so the loads of W are vector loads and the
// additions of one row still wait on each other only. Each row is summed over the
// columns in order from 0, with a separate multiply and add, exactly as the
// JavaScript loop does, so both give the same bits (5× faster at 64 units here).
//
// The module, in text form (W column-major, `rows` a multiple of 16 with zero rows
// as padding; pointers are byte offsets into the imported memory):
//
//   (func (export "mv") (param $w $a $g $rows $d i32)
//     for i = 0; i < rows; i += 16:
//       acc0..acc7 = 0
//       p = w + 8i
//       for c = 0; c < d; c++:
//         s = f64x2.splat(f64.load(a + 8c))
//         acc_k = f64x2.add(acc_k, f64x2.mul(v128.load(p + 16k), s))   k = 0..7
//         p += 8·rows
//       v128.store(g + 8i + 16k, acc_k)                                  k = 0..7

/** Rows per pass of the product: W and the output are padded to a multiple of this. */
export const MATVEC_ROW_BLOCK = 16;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// Locals: the five parameters, then i, c, p (i32), acc0..acc7 and s (v128).
const [W, A, G, ROWS, D, I, C, P] = [0, 1, 2, 3, 4, 5, 6, 7];
const ACC = 8;
const SPLAT = 16;
const ACCUMULATORS = MATVEC_ROW_BLOCK / 2;

const get = (local: number): number[] => [0x20, local];
const set = (local: number): number[] => [0x21, local];
const i32 = (value: number): number[] => [0x41, ...uleb(value)]; // non-negative values below 64 only: their signed LEB128 is one byte
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const times8 = (local: number): number[] => [...get(local), ...i32(3), 0x74]; // local << 3
const add = 0x6a;
const geU = 0x4f;
const [BLOCK, LOOP, END, BR, BR_IF, EMPTY] = [0x02, 0x03, 0x0b, 0x0c, 0x0d, 0x40];
const F64_LOAD = 0x2b;
const [V128_LOAD, V128_STORE, V128_CONST, F64X2_SPLAT, F64X2_ADD, F64X2_MUL] = [0x00, 0x0b, 0x0c, 0x14, 0xf0, 0xf2];
const lanes = Array.from({ length: ACCUMULATORS }, (_, k) => k);

const body: number[] = [
  ...i32(0), ...set(I),
  BLOCK, EMPTY, LOOP, EMPTY,
  ...get(I), ...get(ROWS), geU, BR_IF, 1,
  ...lanes.flatMap((k) => [...simd(V128_CONST), ...new Array<number>(16).fill(0), ...set(ACC + k)]),
  ...i32(0), ...set(C),
  ...get(W), ...times8(I), add, ...set(P),
  BLOCK, EMPTY, LOOP, EMPTY,
  ...get(C), ...get(D), geU, BR_IF, 1,
  ...get(A), ...times8(C), add, F64_LOAD, 3, 0, ...simd(F64X2_SPLAT), ...set(SPLAT),
  ...lanes.flatMap((k) => [...get(ACC + k), ...get(P), ...simd(V128_LOAD), 3, ...uleb(16 * k), ...get(SPLAT), ...simd(F64X2_MUL), ...simd(F64X2_ADD), ...set(ACC + k)]),
  ...get(P), ...times8(ROWS), add, ...set(P),
  ...get(C), ...i32(1), add, ...set(C),
  BR, 0,
  END, END,
  ...lanes.flatMap((k) => [...get(G), ...times8(I), add, ...get(ACC + k), ...simd(V128_STORE), 3, ...uleb(16 * k)]),
  ...get(I), ...i32(MATVEC_ROW_BLOCK), add, ...set(I),
  BR, 0,
  END, END,
  END,
];
const I32 = 0x7f;
const V128 = 0x7b;
const code = [...vector([[3, I32], [ACCUMULATORS + 1, V128]]), ...body];

/** The module's bytes: imports env.memory, exports mv(w, a, g, rows, d). */
export const MATVEC_WASM: readonly number[] = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32]]), 0]])),
  ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
  ...section(3, vector([[0]])),
  ...section(7, vector([[...name('mv'), 0x00, 0]])),
  ...section(10, vector([[...uleb(code.length), ...code]])),
];
