"""The PyTorch side of `soma bench cnn`: Fashion-MNIST, conv 1→16 3×3 pad 1, ReLU, max-pool 2;
conv 16→32 3×3 pad 1, ReLU, max-pool 2; linear 1568→128, ReLU, linear 128→10; cross-entropy,
Adam lr 1e-3, batch 64, shuffled each epoch. One JSON line.

    /usr/bin/python3 bench/pytorch/cnn.py [--epochs 3] [--seed 0] [--train-limit N]
"""
import torch
import torch.nn as nn

import training

args = training.arguments(__doc__.splitlines()[0], epochs=3).parse_args()


def model():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))


training.run("cnn", args, model, lambda parameters: torch.optim.Adam(parameters, lr=1e-3), image_shape=(1, 28, 28),
             eval_batch=1000)
