"""The timing loop every PyTorch peer of bench/ shares: time zero_grad + loss + backward + Adam step
over `steps` batches and print one JSON line {engine, threads, msPerStep (median after a fifth of the
steps as warm-up), finalLoss, peakRssMiB}."""
import json
import resource
import statistics
import time

import torch


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
