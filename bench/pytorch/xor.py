"""The PyTorch side of `soma bench xor`: 2-4-1, tanh hidden, sigmoid output, binary cross-entropy,
the four XOR points as one batch, SGD lr 0.5; steps per second over --steps steps, and the final
loss. A measure of what each operation costs beyond its arithmetic. One JSON line.

    /usr/bin/python3 bench/pytorch/xor.py [--steps 5000] [--seed 0]
"""
import argparse
import time

import torch
import torch.nn as nn

import peer

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--steps", type=int, default=5000)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

peer.setup(args.seed)
x = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
y = torch.tensor([[0.], [1.], [1.], [0.]])
model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
loss_fn = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

t0 = time.perf_counter()
for _ in range(args.steps):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
final_loss = loss.item()
seconds = time.perf_counter() - t0
with torch.no_grad():
    predictions = model(x).squeeze(1).tolist()

peer.report({"bench": "xor", "steps": args.steps, "total_seconds": round(seconds, 4),
             "steps_per_second": round(args.steps / seconds, 1), "us_per_step": round(seconds / args.steps * 1e6, 2),
             "final_loss": round(final_loss, 6), "predictions": [round(p, 4) for p in predictions]})
