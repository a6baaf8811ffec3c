"""Golden cases for normalisation, activations, losses and the orthogonal initialiser.

Imported by make_golden.py, which merges CASES into its own table and writes the files; kept in
its own module so each family's cases can be read (and merged) on their own. Each builder
returns (op, params, tensors) as make_golden.py's builders do; see README.md for the layout.

Ops and their extra tensor names:
  batch_norm   running_mean, running_var, num_batches_tracked (before the step, when tracked),
               input_2 (a second batch, for momentum None), running_mean_after,
               running_var_after, num_batches_tracked_after
  lrn          -
  activation   -
  loss         pos_weight, grad_target (where the target is differentiable)
  orthogonal   input is the normal matrix torch.nn.init.orthogonal_ drew, output its result
Dice has no PyTorch built-in: its reference is its formula written with torch ops (dice_loss).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def leaf(t):
    return t.clone().requires_grad_(True)


def flag(v):
    return str(bool(v)).lower()


# ---------------------------------------------------------------------------- batch norm

def batch_norm_case(seed, dims, shape, training=True, momentum=0.1, eps=1e-5, affine=True, track=True):
    """One step of torch.nn.BatchNorm{dims}d from non-default state (two steps for momentum None)."""
    torch.manual_seed(seed)
    c = shape[1]
    layer = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}[dims](
        c, eps=eps, momentum=momentum, affine=affine, track_running_stats=track)
    tensors = {}
    with torch.no_grad():
        if affine:
            layer.weight.copy_(torch.rand(c) + 0.5)
            layer.bias.copy_(torch.randn(c))
        if track:
            layer.running_mean.copy_(torch.randn(c))
            layer.running_var.copy_(torch.rand(c) + 0.5)
            layer.num_batches_tracked.fill_(3)
    x = leaf(torch.randn(*shape) * 2 + 3)
    tensors["input"] = x
    if affine:
        tensors["weight"] = layer.weight.detach().clone()
        tensors["bias"] = layer.bias.detach().clone()
    if track:
        tensors["running_mean"] = layer.running_mean.clone()
        tensors["running_var"] = layer.running_var.clone()
        tensors["num_batches_tracked"] = layer.num_batches_tracked.clone()
    layer.train(training)
    steps = 2 if momentum is None else 1
    if steps == 2:
        with torch.no_grad():
            layer(x)
        x = leaf(torch.randn(*shape) * 1.5 - 1)
        tensors["input_2"] = x
    y = layer(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    tensors.update({"output": y, "grad_output": dy, "grad_input": x.grad})
    if affine:
        tensors["grad_weight"] = layer.weight.grad
        tensors["grad_bias"] = layer.bias.grad
    if track:
        tensors["running_mean_after"] = layer.running_mean.clone()
        tensors["running_var_after"] = layer.running_var.clone()
        tensors["num_batches_tracked_after"] = layer.num_batches_tracked.clone()
    params = {"dims": dims, "training": flag(training), "momentum": "none" if momentum is None else repr(momentum),
              "eps": repr(eps), "affine": flag(affine), "track_running_stats": flag(track), "steps": steps}
    return "batch_norm", params, tensors


# ---------------------------------------------------------------------------- LRN

def lrn_case(seed, shape, size, alpha=1e-4, beta=0.75, k=1.0):
    torch.manual_seed(seed)
    x = leaf(torch.randn(*shape))
    y = F.local_response_norm(x, size, alpha=alpha, beta=beta, k=k)
    dy = torch.randn_like(y)
    y.backward(dy)
    params = {"size": size, "alpha": repr(alpha), "beta": repr(beta), "k": repr(k)}
    return "lrn", params, {"input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


# ---------------------------------------------------------------------------- activations

# Points where each function has a kink or switches formula, so PyTorch's conventions there
# (derivative 0 of ReLU at 0, slope of leaky ReLU at 0, Hardtanh's ends, Softplus's threshold)
# are compared too.
KINKS = [0.0, 6.0, -1.0, 1.0, -0.5, 2.0, 2.5, 20.0, -20.0, 8.0, -8.0]


def activation_case(seed, kind, **params):
    torch.manual_seed(seed)
    x = torch.cat([torch.randn(3, 13) * 3, torch.tensor(KINKS + [0.3, -0.7]).reshape(1, 13)]).reshape(2, 2, 13)
    x = leaf(x)
    fn = {
        "relu": lambda t: F.relu(t),
        "relu6": lambda t: F.relu6(t),
        "leaky_relu": lambda t: F.leaky_relu(t, params["negative_slope"]),
        "elu": lambda t: F.elu(t, params["alpha"]),
        "selu": lambda t: F.selu(t),
        "sigmoid": lambda t: torch.sigmoid(t),
        "tanh": lambda t: torch.tanh(t),
        "softplus": lambda t: F.softplus(t, params["beta"], params["threshold"]),
        "softsign": lambda t: F.softsign(t),
        "hardtanh": lambda t: F.hardtanh(t, params["min_val"], params["max_val"]),
        "gelu": lambda t: F.gelu(t),
    }[kind]
    y = fn(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    meta = {"kind": kind}
    meta.update({k: repr(float(v)) for k, v in params.items()})
    return "activation", meta, {"input": x, "output": y, "grad_output": dy, "grad_input": x.grad}


# ---------------------------------------------------------------------------- losses

def dice_loss(p, target, mode, from_logits, smooth, reduction):
    """Soft Dice from its formula: per class, over batch and space, 1 - (2 sum pt + s) / (sum p + sum t + s)."""
    if mode == "binary":
        p = torch.sigmoid(p) if from_logits else p
        dims = tuple(range(p.dim()))
        t = target
    else:
        if from_logits:
            p = torch.sigmoid(p) if mode == "multilabel" else torch.softmax(p, 1)
        if mode == "multiclass" and not target.is_floating_point():
            t = F.one_hot(target, p.shape[1]).movedim(-1, 1).to(p.dtype)
        else:
            t = target
        dims = (0,) + tuple(range(2, p.dim()))
    inter = (p * t).sum(dims)
    card = p.sum(dims) + t.sum(dims)
    per_class = 1 - (2 * inter + smooth) / (card + smooth)
    per_class = per_class.reshape(-1)
    return {"mean": per_class.mean(), "sum": per_class.sum(), "none": per_class}[reduction]


def loss_case(seed, loss, input_shape, reduction="mean", classes=None, weight_shape=None, pos_weight_shape=None,
              ignore_index=None, label_smoothing=0.0, beta=None, dice=None, target_kind="float", input_kind="normal",
              ignore_every=0):
    """One loss call. target_kind: 'labels' (class indices in [0, classes)), 'float' (normal), 'unit' ([0, 1])."""
    torch.manual_seed(seed)
    x = torch.randn(*input_shape)
    if input_kind == "prob":
        x = torch.rand(*input_shape) * 0.98 + 0.01
    elif input_kind == "wide":
        x = x * 12
    x = leaf(x)
    if target_kind == "labels":
        target_shape = (input_shape[0],) + tuple(input_shape[2:]) if len(input_shape) > 1 else ()
        target = torch.randint(0, classes, target_shape, dtype=torch.int64)
        if ignore_every:
            target.view(-1)[1::ignore_every] = ignore_index
    elif target_kind == "unit":
        target = leaf(torch.rand(*input_shape))
    else:
        target = leaf(torch.randn(*input_shape))
    weight = torch.rand(*weight_shape) + 0.5 if weight_shape else None
    pos_weight = torch.rand(*pos_weight_shape) * 3 + 0.5 if pos_weight_shape else None
    ii = -100 if ignore_index is None else ignore_index
    if loss == "cross_entropy":
        y = F.cross_entropy(x, target, weight=weight, ignore_index=ii, reduction=reduction,
                            label_smoothing=label_smoothing)
    elif loss == "nll_loss":
        y = F.nll_loss(x, target, weight=weight, ignore_index=ii, reduction=reduction)
    elif loss == "binary_cross_entropy":
        y = F.binary_cross_entropy(x, target, weight=weight, reduction=reduction)
    elif loss == "binary_cross_entropy_with_logits":
        y = F.binary_cross_entropy_with_logits(x, target, weight=weight, pos_weight=pos_weight, reduction=reduction)
    elif loss == "mse_loss":
        y = F.mse_loss(x, target, reduction=reduction)
    elif loss == "l1_loss":
        y = F.l1_loss(x, target, reduction=reduction)
    elif loss == "smooth_l1_loss":
        y = F.smooth_l1_loss(x, target, reduction=reduction, beta=beta)
    elif loss == "dice":
        y = dice_loss(x, target, dice["mode"], dice["from_logits"], dice["smooth"], reduction)
    else:
        raise ValueError(loss)
    tensors = {"input": x, "target": target}
    if weight is not None:
        tensors["weight"] = weight
    if pos_weight is not None:
        tensors["pos_weight"] = pos_weight
    tensors["output"] = y
    if y.dim() == 0:
        y.backward()
    else:
        dy = torch.randn_like(y)
        y.backward(dy)
        tensors["grad_output"] = dy
    tensors["grad_input"] = x.grad
    if target.requires_grad:
        tensors["grad_target"] = target.grad
    params = {"loss": loss, "reduction": reduction, "ignore_index": ii, "label_smoothing": repr(label_smoothing)}
    if beta is not None:
        params["beta"] = repr(beta)
    if dice:
        params.update({"dice_mode": dice["mode"], "from_logits": flag(dice["from_logits"]),
                       "smooth": repr(dice["smooth"])})
    return "loss", params, tensors


# ---------------------------------------------------------------------------- init

def orthogonal_case(seed, shape, gain=1.0):
    """torch.nn.init.orthogonal_, and the normal matrix it drew (the same seed drawn again)."""
    rows = shape[0]
    cols = 1
    for d in shape[1:]:
        cols *= d
    w = torch.empty(*shape)
    torch.manual_seed(seed)
    nn.init.orthogonal_(w, gain=gain)
    torch.manual_seed(seed)
    drawn = w.new(rows, cols).normal_(0, 1)
    return "orthogonal", {"gain": repr(gain)}, {"input": drawn, "output": w}


CASES = {
    # batch norm
    "batch_norm1d_nc_train": ("BatchNorm1d on (8, 5), training, momentum 0.1",
                              lambda: batch_norm_case(701, 1, (8, 5))),
    "batch_norm1d_ncl_train": ("BatchNorm1d on (3, 4, 7), training, eps 1e-3, momentum 0.3",
                               lambda: batch_norm_case(702, 1, (3, 4, 7), eps=1e-3, momentum=0.3)),
    "batch_norm2d_train": ("BatchNorm2d on (3, 4, 5, 7), training",
                           lambda: batch_norm_case(703, 2, (3, 4, 5, 7))),
    "batch_norm2d_train_batch1": ("BatchNorm2d on (1, 3, 4, 5), training, batch 1",
                                  lambda: batch_norm_case(704, 2, (1, 3, 4, 5))),
    "batch_norm3d_train": ("BatchNorm3d on (2, 3, 3, 4, 5), training",
                           lambda: batch_norm_case(705, 3, (2, 3, 3, 4, 5))),
    "batch_norm2d_eval": ("BatchNorm2d on (2, 4, 3, 5), eval: running statistics",
                          lambda: batch_norm_case(706, 2, (2, 4, 3, 5), training=False)),
    "batch_norm1d_eval": ("BatchNorm1d on (6, 3), eval",
                          lambda: batch_norm_case(707, 1, (6, 3), training=False)),
    "batch_norm3d_eval": ("BatchNorm3d on (1, 2, 3, 3, 3), eval, batch 1",
                          lambda: batch_norm_case(708, 3, (1, 2, 3, 3, 3), training=False)),
    "batch_norm2d_no_affine": ("BatchNorm2d(affine=False) on (4, 3, 3, 3), training",
                               lambda: batch_norm_case(709, 2, (4, 3, 3, 3), affine=False)),
    "batch_norm2d_cma": ("BatchNorm2d(momentum=None) on (2, 3, 4, 4): two steps, cumulative average",
                         lambda: batch_norm_case(710, 2, (2, 3, 4, 4), momentum=None)),
    "batch_norm2d_untracked_eval": ("BatchNorm2d(track_running_stats=False) on (3, 2, 3, 3), eval: batch statistics",
                                    lambda: batch_norm_case(711, 2, (3, 2, 3, 3), training=False, track=False)),
    # LRN
    "lrn_alexnet": ("size 5, alpha 1e-4, beta 0.75, k 2 on (2, 7, 5, 5)",
                    lambda: lrn_case(801, (2, 7, 5, 5), 5, alpha=1e-4, beta=0.75, k=2.0)),
    "lrn_strong": ("size 3, alpha 2, beta 0.75, k 1 on (2, 6, 4, 3)",
                   lambda: lrn_case(802, (2, 6, 4, 3), 3, alpha=2.0)),
    "lrn_even_size_1d": ("size 4, alpha 1.5, beta 1.2, k 0.5 on (2, 6, 7)",
                         lambda: lrn_case(803, (2, 6, 7), 4, alpha=1.5, beta=1.2, k=0.5)),
    "lrn_3d": ("size 3, alpha 1, beta 0.75, k 1 on (1, 5, 2, 3, 4)",
               lambda: lrn_case(804, (1, 5, 2, 3, 4), 3, alpha=1.0)),
    # activations, with non-default parameters where they have any
    "act_relu": ("relu", lambda: activation_case(901, "relu")),
    "act_relu6": ("relu6", lambda: activation_case(902, "relu6")),
    "act_leaky_relu": ("leaky_relu slope 0.2", lambda: activation_case(903, "leaky_relu", negative_slope=0.2)),
    "act_elu": ("elu alpha 0.7", lambda: activation_case(904, "elu", alpha=0.7)),
    "act_selu": ("selu", lambda: activation_case(905, "selu")),
    "act_sigmoid": ("sigmoid", lambda: activation_case(906, "sigmoid")),
    "act_tanh": ("tanh", lambda: activation_case(907, "tanh")),
    "act_softplus": ("softplus beta 2 threshold 5", lambda: activation_case(908, "softplus", beta=2.0, threshold=5.0)),
    "act_softplus_default": ("softplus beta 1 threshold 20",
                             lambda: activation_case(909, "softplus", beta=1.0, threshold=20.0)),
    "act_softsign": ("softsign", lambda: activation_case(910, "softsign")),
    "act_hardtanh": ("hardtanh -0.5..2", lambda: activation_case(911, "hardtanh", min_val=-0.5, max_val=2.0)),
    "act_gelu": ("gelu (exact)", lambda: activation_case(912, "gelu")),
    # cross-entropy
    "loss_ce_weight": ("cross_entropy (6, 5), class weights, mean",
                       lambda: loss_case(1001, "cross_entropy", (6, 5), classes=5, weight_shape=(5,),
                                         target_kind="labels")),
    "loss_ce_ignore": ("cross_entropy (8, 4), ignore_index 1, mean",
                       lambda: loss_case(1002, "cross_entropy", (8, 4), classes=4, ignore_index=1,
                                         target_kind="labels")),
    "loss_ce_smoothing": ("cross_entropy (6, 5), label smoothing 0.1, mean",
                          lambda: loss_case(1003, "cross_entropy", (6, 5), classes=5, label_smoothing=0.1,
                                            target_kind="labels")),
    "loss_ce_all_mean": ("cross_entropy (7, 4), weights, ignore_index -100 every 3rd, smoothing 0.2, mean",
                         lambda: loss_case(1004, "cross_entropy", (7, 4), classes=4, weight_shape=(4,),
                                           ignore_index=-100, ignore_every=3, label_smoothing=0.2,
                                           target_kind="labels")),
    "loss_ce_all_sum": ("cross_entropy (7, 4), weights, ignore_index 2, smoothing 0.2, sum",
                        lambda: loss_case(1005, "cross_entropy", (7, 4), "sum", classes=4, weight_shape=(4,),
                                          ignore_index=2, label_smoothing=0.2, target_kind="labels")),
    "loss_ce_all_none": ("cross_entropy (7, 4), weights, ignore_index 0, smoothing 0.3, none",
                         lambda: loss_case(1006, "cross_entropy", (7, 4), "none", classes=4, weight_shape=(4,),
                                           ignore_index=0, label_smoothing=0.3, target_kind="labels")),
    "loss_ce_segmentation": ("cross_entropy (2, 4, 3, 5) N-d, weights, ignore 255 every 4th, smoothing 0.1, mean",
                             lambda: loss_case(1007, "cross_entropy", (2, 4, 3, 5), classes=4, weight_shape=(4,),
                                               ignore_index=255, ignore_every=4, label_smoothing=0.1,
                                               target_kind="labels")),
    "loss_ce_segmentation_none": ("cross_entropy (2, 3, 4, 4) N-d, ignore 255 every 5th, none",
                                  lambda: loss_case(1008, "cross_entropy", (2, 3, 4, 4), "none", classes=3,
                                                    ignore_index=255, ignore_every=5, target_kind="labels")),
    "loss_ce_1d_sum": ("cross_entropy (2, 3, 6) 1-d targets, sum",
                       lambda: loss_case(1009, "cross_entropy", (2, 3, 6), "sum", classes=3, target_kind="labels")),
    "loss_ce_unbatched": ("cross_entropy (5) against a scalar target, smoothing 0.1",
                          lambda: loss_case(1010, "cross_entropy", (5,), classes=5, label_smoothing=0.1,
                                            target_kind="labels")),
    "loss_nll_weight_ignore": ("nll_loss (6, 4), weights, ignore_index 3, mean",
                               lambda: loss_case(1011, "nll_loss", (6, 4), classes=4, weight_shape=(4,),
                                                 ignore_index=3, target_kind="labels")),
    "loss_nll_nd_none": ("nll_loss (2, 3, 2, 3) N-d, none",
                         lambda: loss_case(1012, "nll_loss", (2, 3, 2, 3), "none", classes=3, target_kind="labels")),
    # binary cross-entropy
    "loss_bce_weight": ("binary_cross_entropy (4, 3), weight (3), mean",
                        lambda: loss_case(1101, "binary_cross_entropy", (4, 3), weight_shape=(3,), input_kind="prob",
                                          target_kind="unit")),
    "loss_bce_none": ("binary_cross_entropy (2, 5), none",
                      lambda: loss_case(1102, "binary_cross_entropy", (2, 5), "none", input_kind="prob",
                                        target_kind="unit")),
    "loss_bce_sum": ("binary_cross_entropy (6,), sum",
                     lambda: loss_case(1103, "binary_cross_entropy", (6,), "sum", input_kind="prob",
                                       target_kind="unit")),
    "loss_bcel_pos_weight": ("binary_cross_entropy_with_logits (4, 3), weight (4, 1), pos_weight (3), mean",
                             lambda: loss_case(1104, "binary_cross_entropy_with_logits", (4, 3), weight_shape=(4, 1),
                                               pos_weight_shape=(3,), target_kind="unit")),
    "loss_bcel_wide_none": ("binary_cross_entropy_with_logits (3, 4), logits up to +-40, none",
                            lambda: loss_case(1105, "binary_cross_entropy_with_logits", (3, 4), "none",
                                              input_kind="wide", target_kind="unit")),
    "loss_bcel_sum": ("binary_cross_entropy_with_logits (2, 3, 2), pos_weight (3, 1), sum",
                      lambda: loss_case(1106, "binary_cross_entropy_with_logits", (2, 3, 2), "sum",
                                        pos_weight_shape=(3, 1), target_kind="unit")),
    # regression
    "loss_mse_mean": ("mse_loss (3, 4), mean", lambda: loss_case(1201, "mse_loss", (3, 4))),
    "loss_mse_none": ("mse_loss (2, 3, 2), none", lambda: loss_case(1202, "mse_loss", (2, 3, 2), "none")),
    "loss_l1_sum": ("l1_loss (3, 4), sum", lambda: loss_case(1203, "l1_loss", (3, 4), "sum")),
    "loss_l1_none": ("l1_loss (5,), none", lambda: loss_case(1204, "l1_loss", (5,), "none")),
    "loss_smooth_l1_mean": ("smooth_l1_loss (4, 5), beta 1, mean",
                            lambda: loss_case(1205, "smooth_l1_loss", (4, 5), beta=1.0)),
    "loss_smooth_l1_none": ("smooth_l1_loss (4, 5), beta 0.5, none",
                            lambda: loss_case(1206, "smooth_l1_loss", (4, 5), "none", beta=0.5)),
    "loss_smooth_l1_beta0": ("smooth_l1_loss (3, 4), beta 0 (L1), sum",
                             lambda: loss_case(1207, "smooth_l1_loss", (3, 4), "sum", beta=0.0)),
    # Dice, from its formula
    "loss_dice_multiclass": ("dice multiclass, logits (2, 3, 4, 4), labels, smooth 1, mean",
                             lambda: loss_case(1301, "dice", (2, 3, 4, 4), classes=3, target_kind="labels",
                                               dice={"mode": "multiclass", "from_logits": True, "smooth": 1.0})),
    "loss_dice_multiclass_soft": ("dice multiclass, probabilities (2, 3, 5), soft targets, smooth 0, none",
                                  lambda: loss_case(1302, "dice", (2, 3, 5), "none", input_kind="prob",
                                                    target_kind="unit",
                                                    dice={"mode": "multiclass", "from_logits": False,
                                                          "smooth": 0.0})),
    "loss_dice_multilabel": ("dice multilabel, logits (2, 2, 3, 3), smooth 1, sum",
                             lambda: loss_case(1303, "dice", (2, 2, 3, 3), "sum", target_kind="unit",
                                               dice={"mode": "multilabel", "from_logits": True, "smooth": 1.0})),
    "loss_dice_binary": ("dice binary, logits (3, 1, 4, 4), smooth 0.5, mean",
                         lambda: loss_case(1304, "dice", (3, 1, 4, 4), target_kind="unit",
                                           dice={"mode": "binary", "from_logits": True, "smooth": 0.5})),
    # init
    "orthogonal_tall": ("orthogonal_ of (6, 3)", lambda: orthogonal_case(1401, (6, 3))),
    "orthogonal_wide_gain": ("orthogonal_ of (3, 7), gain 2", lambda: orthogonal_case(1402, (3, 7), gain=2.0)),
    "orthogonal_conv": ("orthogonal_ of a conv weight (4, 2, 2, 2)", lambda: orthogonal_case(1403, (4, 2, 2, 2))),
}
