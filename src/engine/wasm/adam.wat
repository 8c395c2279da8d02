;; Adam's update fused into one pass (vaelab, src/engine/wasm/adam.wat; assembled into adamModule.ts by
;; `npx tsx src/engine/wasm/assemble.ts`, and adam.test.ts checks that the two agree).
;;
;; adam(p, g, m, v, n, β₁, β₂, α, ε, d) for the n float32s at byte offsets p, g, m, v of the memory:
;;   m ← β₁·m + g;   v ← β₂·v + g·g;   m, v ← 0 where |m|, v < 2⁻¹²⁶;   p ← p·d − (m / (√v + ε))·α
;; in that order of float32 operations, which is the order of optim.ts's graph rewrite (adam().update), so
;; both give the same bits while the moments stay normal numbers. The flush is what keeps them normal: the
;; moments of a weight whose gradient is (nearly) always 0, such as one reading an always-black MNIST
;; pixel, decay into subnormals, which x86 computes ~100 times slower; an M2 run had 1 % of its moments
;; there after 20,000 steps and a PixelVAE 26 %, and their steps had slowed 5 to 8 times. A subnormal
;; moment moves its weight by less than 2⁻¹²⁶/ε. Four lanes at a time (WebAssembly SIMD), the n mod 4
;; last ones one by one.
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $a f32) (param $e f32) (param $d f32)
    (local $end i32) (local $vend i32)
    (local $B1 v128) (local $B2 v128) (local $A v128) (local $E v128) (local $D v128) (local $TINY v128)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $A (f32x4.splat (local.get $a)))
    (local.set $E (f32x4.splat (local.get $e)))
    (local.set $D (f32x4.splat (local.get $d)))
    (local.set $TINY (f32x4.splat (f32.const 0x1p-126)))
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $g) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $g) (local.get $vend)))
        (local.set $gi (v128.load (local.get $g)))
        (local.set $mi (f32x4.add (f32x4.mul (v128.load (local.get $m)) (local.get $B1)) (local.get $gi)))
        (local.set $vi (f32x4.add (f32x4.mul (v128.load (local.get $v)) (local.get $B2)) (f32x4.mul (local.get $gi) (local.get $gi))))
        (local.set $mi (v128.andnot (local.get $mi) (f32x4.lt (f32x4.abs (local.get $mi)) (local.get $TINY))))
        (local.set $vi (v128.andnot (local.get $vi) (f32x4.lt (local.get $vi) (local.get $TINY))))
        (v128.store (local.get $m) (local.get $mi))
        (v128.store (local.get $v) (local.get $vi))
        (v128.store (local.get $p)
          (f32x4.sub
            (f32x4.mul (v128.load (local.get $p)) (local.get $D))
            (f32x4.mul (f32x4.div (local.get $mi) (f32x4.add (f32x4.sqrt (local.get $vi)) (local.get $E))) (local.get $A))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $g) (local.get $end)))
        (local.set $gs (f32.load (local.get $g)))
        (local.set $ms (f32.add (f32.mul (f32.load (local.get $m)) (local.get $b1)) (local.get $gs)))
        (local.set $vs (f32.add (f32.mul (f32.load (local.get $v)) (local.get $b2)) (f32.mul (local.get $gs) (local.get $gs))))
        (local.set $ms (select (f32.const 0) (local.get $ms) (f32.lt (f32.abs (local.get $ms)) (f32.const 0x1p-126))))
        (local.set $vs (select (f32.const 0) (local.get $vs) (f32.lt (local.get $vs) (f32.const 0x1p-126))))
        (f32.store (local.get $m) (local.get $ms))
        (f32.store (local.get $v) (local.get $vs))
        (f32.store (local.get $p)
          (f32.sub
            (f32.mul (f32.load (local.get $p)) (local.get $d))
            (f32.mul (f32.div (local.get $ms) (f32.add (f32.sqrt (local.get $vs)) (local.get $e))) (local.get $a))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (br $tail)))))
