#!/usr/bin/env python3
"""Expected parameters after three torch.optim.SGD steps, for SgdTest (cpu-fallback tests).

The gradients are fixed functions of the step (not of the parameters), so the values depend only
on the optimizer's update rule. Run: /usr/bin/python3 scripts/golden/sgd_steps.py
"""
import torch

p0 = [0.5, -1.0, 2.0, 0.25]
grads = [[0.1, -0.2, 0.3, -0.4], [0.05, 0.1, -0.15, 0.2], [-0.3, 0.2, 0.1, 0.0]]
configs = {
    "plain": dict(lr=0.1),
    "momentum": dict(lr=0.1, momentum=0.9),
    "dampening": dict(lr=0.1, momentum=0.9, dampening=0.5),
    "nesterov_wd": dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
}
for name, cfg in configs.items():
    p = torch.nn.Parameter(torch.tensor(p0, dtype=torch.float64))
    opt = torch.optim.SGD([p], **cfg)
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    print(name, [repr(v) for v in p.detach().tolist()])
