/**
 * Every shape and dtype error of the graph-building ops (`fail()` in ops.ts), each by the message a user
 * reads: the op and what was wrong (a call from outside src/engine also gets its call site appended).
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  cast,
  concat,
  constant,
  conv2d,
  convTranspose2d,
  exp,
  expand,
  gather,
  input,
  matmul,
  pad,
  reshape,
  scatterAdd,
  slice,
  split,
  sum,
  transpose,
  where,
} from './ops.js';
import { GraphError } from './ops.js';

const x23 = (): ReturnType<typeof input> => input('x', [2, 3]);
const ints = (n: number): ReturnType<typeof input> => input('i', [n], 'int64');
const bools = (): ReturnType<typeof input> => input('b', [2, 3], 'bool');

const CASES: [string, () => unknown, RegExp][] = [
  ['input: negative dimension', () => input('x', [2, -1]), /^input: invalid shape \[2, ?-1\]: dimensions must be non-negative integers/],
  ['input: fractional dimension', () => input('x', [1.5]), /^input: invalid shape \[1\.5\]/],
  ['constant: too few values', () => constant([1, 2, 3], [2, 2]), /^constant: 3 values do not fill shape \[2, ?2\]/],
  ['unary on int64', () => exp(ints(3)), /^exp: expected a float32 tensor, got int64/],
  ['broadcast mismatch', () => add(x23(), input('y', [4])), /^add: shapes \[2, ?3\] and \[4\] do not broadcast \(axis 1: 3 vs 4\)/],
  ['binary dtypes differ', () => add(x23(), ints(3)), /^add: dtypes differ: float32 and int64/],
  ['arithmetic on bool', () => add(bools(), bools()), /^add: arithmetic on bool tensors; cast them first/],
  ['where: condition not bool', () => where(x23(), x23(), x23()), /^where: condition must be bool, got float32/],
  ['where: branch dtypes', () => where(bools(), x23(), cast(x23(), 'int64')), /^where: branch dtypes differ: float32 and int64/],
  ['reduce: axis out of range', () => sum(x23(), 2), /^sum: axis 2 out of range for rank 2/],
  ['reduce on int64', () => sum(ints(3)), /^sum: expected a float32 tensor, got int64/],
  ['reshape: two -1', () => reshape(x23(), [-1, -1]), /^reshape: at most one -1 allowed/],
  ['reshape: wrong size', () => reshape(x23(), [4, 2]), /^reshape: cannot reshape \[2, ?3\] \(6 elements\) to \[4, ?2\]/],
  ['transpose: not a permutation', () => transpose(x23(), [0, 0]), /^transpose: perm \[0,0\] is not a permutation of the 2 axes/],
  ['expand: lower rank', () => expand(x23(), [6]), /^expand: cannot expand \[2, ?3\] to lower rank \[6\]/],
  ['expand: incompatible axis', () => expand(x23(), [2, 4]), /^expand: cannot expand \[2, ?3\] to \[2, ?4\] \(axis 1\)/],
  ['concat: nothing', () => concat([], 0), /^concat: needs at least one tensor/],
  ['concat: dtypes differ', () => concat([x23(), cast(x23(), 'int64')], 0), /^concat: dtypes differ: float32 and int64/],
  ['concat: shapes differ off axis', () => concat([x23(), input('y', [2, 4])], 0), /^concat: shapes .* differ off axis 0/],
  ['slice: out of bounds', () => slice(x23(), 1, 2, 5), /^slice: range \[2, 5\) out of bounds for axis 1/],
  ['split: sizes do not add up', () => split(x23(), [1, 1], 1), /^split: sizes \[1,1\] add up to 2, axis 1 of \[2, ?3\] is 3/],
  ['pad: wrong number of amounts', () => pad(x23(), [1], [1]), /^pad: needs 2 before\/after amounts/],
  ['pad: negative amount', () => pad(x23(), [0, -1], [0, 0]), /^pad: amounts must be non-negative integers/],
  ['gather: float indices', () => gather(x23(), input('i', [2]), 0), /^gather: indices must be a 1-D int64 tensor, got \[2\]:float32/],
  [
    'scatterAdd: indices length',
    () => scatterAdd(x23(), ints(3), 0, 4),
    /^scatterAdd: indices must be 1-D int64 of length 2, got \[3\]:int64/,
  ],
  ['matmul: rank 1', () => matmul(input('a', [3]), x23()), /^matmul: operands need rank >= 2/],
  ['matmul: int64', () => matmul(cast(x23(), 'int64'), input('b', [3, 2], 'int64')), /^matmul: expected float32 operands/],
  ['matmul: inner dims', () => matmul(x23(), input('b', [2, 2])), /^matmul: expected inner dims to match, got \[2, ?3\] x \[2, ?2\]/],
  ['conv2d: not NCHW', () => conv2d(x23(), input('w', [1, 1, 3, 3])), /^conv2d: expects NCHW input and 4-D weights/],
  [
    'conv2d: channels',
    () => conv2d(input('x', [1, 2, 5, 5]), input('w', [4, 3, 3, 3])),
    /^conv2d: input has 2 channels but weights \[4, ?3, ?3, ?3\] expect 3/,
  ],
  [
    'conv2d: kernel too big',
    () => conv2d(input('x', [1, 1, 2, 2]), input('w', [1, 1, 3, 3])),
    /^conv2d: kernel \[1, ?1, ?3, ?3\] does not fit input \[1, ?1, ?2, ?2\]/,
  ],
  [
    'convTranspose2d: output padding',
    () => convTranspose2d(input('x', [1, 1, 2, 2]), input('w', [1, 1, 3, 3]), { stride: 1, outputPadding: [1, 1] }),
    /^convTranspose2d: outputPadding \[1,1\] must be smaller than stride or dilation/,
  ],
  [
    'convTranspose2d: no output',
    () => convTranspose2d(input('x', [1, 1, 1, 1]), input('w', [1, 1, 1, 1]), { padding: [1, 1, 1, 1] }),
    /^convTranspose2d: padding \[.*\] leaves no output/,
  ],
];

describe('graph-building errors name the op and the problem', () => {
  it.each(CASES)('%s', (_name, build, message) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphError);
    expect((error as Error).message).toMatch(message);
  });
});
