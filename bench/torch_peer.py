"""What the PyTorch peers of bench/ share: the Bernoulli VAE loss, and the timing loop (zero_grad + loss +
backward + Adam step over `steps` batches) that prints one JSON line {engine, threads, msPerStep (median
after a fifth of the steps as warm-up), finalLoss, peakRssMiB}."""
import json
import resource
import statistics
import time

import torch
import torch.nn.functional as F


def bernoulli_vae_loss(enc, dec, x, eps, beta=1.0):
    """-E_q log p(x|z) + beta KL(q(z|x) || N(0, I)), means over the batch; enc(x) gives mu and log sigma^2."""
    mu, logvar = enc(x).chunk(2, dim=1)
    z = mu + torch.exp(0.5 * logvar) * eps
    logits = dec(z)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction='sum') / x.shape[0]
    kl = 0.5 * torch.sum(mu * mu + torch.exp(logvar) - 1 - logvar) / x.shape[0]
    return rec + beta * kl


def time_steps_and_print(model, opt, next_batch, steps, threads):
    """`next_batch(i)` returns the arguments of `model.loss` for step i (made outside the timed part)."""
    times = []
    loss = None
    for i in range(steps):
        args = next_batch(i)
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model.loss(*args)
        loss.backward()
        opt.step()
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        'engine': 'pytorch ' + torch.__version__,
        'threads': threads,
        'msPerStep': statistics.median(times[steps // 5:]),
        'finalLoss': float(loss),
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
