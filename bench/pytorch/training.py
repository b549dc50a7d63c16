"""The training loop the mlp and cnn peers share, with the timing rule of `soma bench mlp|cnn`:
each epoch shuffles the training set (torch.randperm from a generator seeded with --seed) and steps
through it in batches of 64; its seconds are those of the shuffle and all the steps, without the
evaluation that follows (test accuracy after each epoch, under no_grad, in batches of eval_batch:
the mlp takes the 10,000 test images in one call, the cnn 1000 at a time, as in the runs that
docs/PERFORMANCE.md records; it shows in the peak memory only).
"""
import argparse
import time

import torch
import torch.nn as nn

import fashion_mnist
import peer


def arguments(description, epochs):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0, help="seeds the weights and the shuffle (default 0)")
    parser.add_argument("--train-limit", type=int, default=None, metavar="N",
                        help="train on the first N examples only: a quick check, not a measurement")
    return parser


def run(name, args, build_model, make_optimizer, image_shape, eval_batch, extra=None):
    """Trains build_model() on Fashion-MNIST as args say and reports one JSON line."""
    peer.setup(args.seed)
    x_train, y_train, x_test, y_test, folder = fashion_mnist.load(image_shape)
    if args.train_limit is not None:
        x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
    model = build_model()
    optimizer = make_optimizer(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(args.seed)

    def accuracy():
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, x_test.shape[0], eval_batch):
                correct += (model(x_test[i:i + eval_batch]).argmax(1) == y_test[i:i + eval_batch]).sum().item()
        model.train()
        return correct / x_test.shape[0]

    n = x_train.shape[0]
    epoch_seconds, test_accuracy, train_loss = [], [], []
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=shuffle)
        total = 0.0
        for i in range(0, n, args.batch):
            batch = order[i:i + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        epoch_seconds.append(time.perf_counter() - t0)
        train_loss.append(total / n)
        test_accuracy.append(accuracy())

    result = {"bench": name, **(extra or {}), "batch": args.batch, "train_examples": n,
              "epoch_seconds": [round(s, 3) for s in epoch_seconds],
              "test_accuracy": [round(a, 4) for a in test_accuracy],
              "train_loss": [round(l, 4) for l in train_loss], "dataset_dir": folder}
    peer.report(result)
