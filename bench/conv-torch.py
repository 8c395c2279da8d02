"""PyTorch peer for bench/conv.ts: the conv beta-VAE step of vaelab's `beta-vae-dsprites` preset.

The same layers as vaelab's conv encoder/decoder (src/models/networks.ts): four 4x4 stride-2 padding-1
convolutions 1-32-32-64-64 with ReLU, dense 1024-256-256-20 (mu, log sigma^2 of 10 latents); decoder
dense 10-256-256-1024 with ReLU, four 4x4 stride-2 transposed convolutions 64-64-32-32-1 (ReLU between),
Bernoulli logits. Loss: -E_q log p(x|z) + beta KL, beta = 4, means over the batch of 64; Adam lr 1e-4.
Reads the dSprites images vaelab's side rendered (uint8, [n, 4096]).
Run as: python3 bench/conv-torch.py THREADS STEPS IMAGES_FILE
Prints one JSON line: {"engine", "threads", "msPerStep" (median after warm-up), "peakRssMiB"}.
"""
import sys

import torch
import torch.nn as nn

from torch_peer import bernoulli_vae_loss, time_steps_and_print

threads = int(sys.argv[1])
steps = int(sys.argv[2])
images_file = sys.argv[3]
torch.set_num_threads(threads)
torch.manual_seed(0)
B, Z, BETA = 64, 10, 4.0

with open(images_file, 'rb') as f:
    raw = f.read()
data = torch.frombuffer(bytearray(raw), dtype=torch.uint8).float().view(-1, 1, 64, 64)
batches = data.shape[0] // B


class ConvVAE(nn.Module):
    def __init__(self):
        super().__init__()
        c = dict(kernel_size=4, stride=2, padding=1)
        self.enc = nn.Sequential(
            nn.Conv2d(1, 32, **c), nn.ReLU(), nn.Conv2d(32, 32, **c), nn.ReLU(),
            nn.Conv2d(32, 64, **c), nn.ReLU(), nn.Conv2d(64, 64, **c), nn.ReLU(), nn.Flatten(),
            nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2 * Z))
        self.dec = nn.Sequential(
            nn.Linear(Z, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 1024), nn.ReLU(),
            nn.Unflatten(1, (64, 4, 4)),
            nn.ConvTranspose2d(64, 64, **c), nn.ReLU(), nn.ConvTranspose2d(64, 32, **c), nn.ReLU(),
            nn.ConvTranspose2d(32, 32, **c), nn.ReLU(), nn.ConvTranspose2d(32, 1, **c))

    def loss(self, x, eps):
        return bernoulli_vae_loss(self.enc, self.dec, x, eps, BETA)


model = ConvVAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
time_steps_and_print(model, opt, lambda i: (data[(i % batches) * B:(i % batches + 1) * B], torch.randn(B, Z)), steps, threads)
