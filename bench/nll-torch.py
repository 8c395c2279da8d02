"""The NLL by importance sampling of the same VAE on the same binarized images as bench/nll-vaelab.ts
(which writes the weights and inputs): log p(x) ~ logsumexp_k log w_k - log K, K samples in chunks of
250 per batch of 20 images (vaelab's default shapes), float32, timed. Prints one JSON line.

    /usr/bin/python3 bench/nll-torch.py [OUT_DIR]   (Debian python3-torch)
"""
import json
import resource
import math
import sys
import time

import numpy as np
import torch

out = sys.argv[1] if len(sys.argv) > 1 else 'bench/out/nll'
man = json.load(open(f'{out}/manifest.json'))
torch.set_num_threads(man['threads'])
n, K, d = man['n'], man['k'], man['latent']
w = {t['name']: torch.from_numpy(np.fromfile(f"{out}/{t['name']}.bin", dtype=np.float32).reshape(t['shape'])) for t in man['tensors']}
x_all = torch.from_numpy(np.fromfile(f'{out}/x.bin', dtype=np.float32).reshape(n, -1))
act = {'relu': torch.relu, 'tanh': torch.tanh, 'softplus': torch.nn.functional.softplus}[man['activation']]


def mlp(prefix, h):
    i = 0
    while f'{prefix}.{i}.weight' in w:
        h = h @ w[f'{prefix}.{i}.weight'] + w[f'{prefix}.{i}.bias']
        i += 1
        if f'{prefix}.{i}.weight' in w:
            h = act(h)
    return h


LOG2PI = math.log(2 * math.pi)
B, KC = 20, min(K, 5000 // 20)
gen = torch.Generator().manual_seed(0)


@torch.no_grad()
def log_p(x):
    e = mlp('encoder', x)
    mu, lv = e[:, :d], e[:, d:]
    chunks = []
    for s in range(0, K, KC):
        kc = min(KC, K - s)
        eps = torch.randn(kc, x.shape[0], d, generator=gen)
        z = mu + torch.exp(0.5 * lv) * eps
        logits = mlp('decoder', z.reshape(-1, d)).reshape(kc, x.shape[0], -1)
        ll = -torch.nn.functional.binary_cross_entropy_with_logits(logits, x.expand(kc, -1, -1), reduction='none').sum(-1)
        lpz = -0.5 * (z * z + LOG2PI).sum(-1)
        lq = -0.5 * (eps * eps + LOG2PI + lv).sum(-1)
        chunks.append(ll + lpz - lq)
    lw = torch.cat(chunks, 0).double()
    return torch.logsumexp(lw, 0) - math.log(K)


log_p(x_all[:B])  # warm-up
t0 = time.perf_counter()
vals = torch.cat([log_p(x_all[i:i + B]) for i in range(0, n, B)])
sec = time.perf_counter() - t0
nll = -vals.mean().item()
se = vals.std().item() / math.sqrt(n)
print(json.dumps({'engine': 'pytorch', 'k': K, 'n': n, 'threads': man['threads'], 'nll': nll, 'nllSe': se, 'seconds': sec, 'torch': torch.__version__,
                  'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
