"""The PyTorch side of `soma bench mlp`: Fashion-MNIST, 784-256-128-10 with ReLU, cross-entropy,
batch 64, shuffled each epoch; Adam lr 1e-3 or SGD lr 0.05 momentum 0.9. One JSON line.

    /usr/bin/python3 bench/pytorch/mlp.py [--optimizer adam|sgd] [--epochs 5] [--seed 0] [--train-limit N]
"""
import torch
import torch.nn as nn

import training

parser = training.arguments(__doc__.splitlines()[0], epochs=5)
parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
args = parser.parse_args()


def model():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def optimizer(parameters):
    if args.optimizer == "sgd":
        return torch.optim.SGD(parameters, lr=0.05, momentum=0.9)
    return torch.optim.Adam(parameters, lr=1e-3)


training.run("mlp", args, model, optimizer, image_shape=(784,), eval_batch=10000,
             extra={"optimizer": args.optimizer})
