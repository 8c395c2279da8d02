#!/bin/sh
# vaelab vs PyTorch on the IWAE MNIST model (Burda et al. 2016): same architecture, data split,
# dynamic binarization, batch, Adam and 3^i schedule, same number of epochs; prints both test NLLs
# (importance sampling with K = EVAL_K on the first EVAL_N test images) and their difference.
#
#   sh bench/iwae-compare.sh            # 10 epochs, batch 100, K = 5, NLL with K = 1000 on 2000 images
#   EPOCHS=3 EVAL_N=500 sh bench/iwae-compare.sh
set -eu
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-10}
K=${K:-5}
EVAL_K=${EVAL_K:-1000}
EVAL_N=${EVAL_N:-2000}
THREADS=${THREADS:-1}
OUT=bench/out/iwae
mkdir -p "$OUT"
rm -rf "$OUT/run"

if [ ! -f dist/cli/main.js ] || [ -n "$(find src -newer dist/cli/main.js -name '*.ts' | head -1)" ]; then
  npx tsc -p tsconfig.build.json >&2
fi

echo "vaelab: training $EPOCHS epochs..." >&2
node bin/vaelab.js train --preset iwae-mnist --epochs "$EPOCHS" --batch 100 --k "$K" --eval-k "$EVAL_K" \
  --eval-n "$EVAL_N" --threads "$THREADS" --out "$OUT/run" --quiet --json | tail -n 1 > "$OUT/vaelab.json"

echo "pytorch: training $EPOCHS epochs..." >&2
/usr/bin/python3 bench/iwae-torch.py "$K" --epochs "$EPOCHS" --batch 100 --eval-k "$EVAL_K" --eval-n "$EVAL_N" \
  --threads "$THREADS" | tail -n 1 > "$OUT/torch.json"

node -e '
const fs = require("fs");
const v = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const t = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const f = (x) => (x == null ? "-" : x.toFixed(2));
console.log(`IWAE MNIST, ${t.epochs} epochs, batch ${t.batch}, K = ${t.k}; NLL with K = ${v.nllK} on ${v.evalN} test images`);
console.log(`vaelab : NLL ${f(v.testNll)}  ELBO ${f(v.testElbo)}  ${f(v.secPerEpoch)} s/epoch  ${f(v.msPerStep)} ms/step`);
console.log(`pytorch: NLL ${f(t.testNll)}  ELBO ${f(t.testElbo)}  ${f(t.secPerEpoch)} s/epoch  ${f(t.msPerStep)} ms/step`);
console.log(`difference (vaelab - pytorch): NLL ${f(v.testNll - t.testNll)} nats, time per step x${(v.msPerStep / t.msPerStep).toFixed(2)}`);
console.log(JSON.stringify({ vaelabNll: v.testNll, torchNll: t.testNll, nllDifference: v.testNll - t.testNll }));
' "$OUT/vaelab.json" "$OUT/torch.json"
