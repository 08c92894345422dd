"""The steps of one sample's forward and backward pass as formulas, shapes and arrays.

``build_steps`` turns a ``core.inside.SampleTrace`` into a list of ``Step``: the formula that
produced an array (e.g. "Z¹ = A⁰ · W¹ + b¹"), its shapes ("(1×2) · (2×4) + (4) → (1×4)"), a
sentence of explanation, and the arrays that went in and came out. No Qt here: the Inside
view's steps panel (``inside_steps``) shows what this module writes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.core.activations import get_activation
from nngui.core.inside import LayerTrace, SampleTrace, derivative_formula

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(n: int) -> str:
    """n in superscript digits: sup(12) == "¹²"."""
    return str(n).translate(_SUPERSCRIPT)


def fmt(v: float) -> str:
    """A number to four significant digits ("nan", "inf" and "-inf" spelt out; no "-0")."""
    return f"{v + 0.0:.4g}"


def shape_text(a: np.ndarray) -> str:
    """An array's shape as text: "(1×4)" for a matrix, "(4)" for a vector."""
    return "(" + "×".join(str(n) for n in a.shape) + ")"


@dataclass(frozen=True)
class Operand:
    """An array shown in a step: its caption, its values (1-D or 2-D) and, for a single row,
    the label of that row (e.g. "Z¹")."""

    caption: str
    values: np.ndarray
    row_label: str | None = None


@dataclass(frozen=True)
class Step:
    """One step: ``key`` names it ("Z1", "dW3", "L" …); ``backward`` tells the pass."""

    key: str
    backward: bool
    formula: str
    shapes: str
    note: str
    operands: tuple[Operand, ...]
    result: Operand

    @property
    def shape(self) -> str:
        """The result's shape as text, e.g. "(1×4)"."""
        return shape_text(self.result.values)


def _vec(name: str, caption: str, a: np.ndarray) -> Operand:
    return Operand(f"{name}  {shape_text(a)}  {caption}".rstrip(), a, name)


def _mat(name: str, caption: str, a: np.ndarray) -> Operand:
    return Operand(f"{name}  {shape_text(a)}  {caption}".rstrip(), a)


def build_steps(trace: SampleTrace) -> list[Step]:
    """Every step of ``trace`` in order: forward Zˡ, Aˡ for each layer, the loss, then
    backward dZˡ, dWˡ, dbˡ, dAˡ⁻¹ from the last layer to the first."""
    steps = []
    for t in trace.layers:
        steps += _forward_steps(t, len(trace.layers))
    steps.append(_loss_step(trace))
    for t in reversed(trace.layers):
        steps += _backward_steps(t, len(trace.layers), trace)
    return steps


def _forward_steps(t: LayerTrace, n_layers: int) -> list[Step]:
    l, p, act = sup(t.number), sup(t.number - 1), t.activation
    k, n = t.w.shape[1], t.w.shape[0]
    a_prev = "the standardised input x" if t.number == 1 else f"layer {t.number - 1}'s output"
    z = Step(
        f"Z{t.number}", False, f"Z{l} = A{p} · W{l} + b{l}",
        f"{shape_text(t.a_prev)} · {shape_text(t.w)} + {shape_text(t.b)} → {shape_text(t.z)}",
        f"Step 6, forward: each of the {k} units of layer {t.number} weighs the {n} values of "
        f"A{p} by its column of W{l} and adds its bias.",
        (_vec(f"A{p}", a_prev, t.a_prev), _mat(f"W{l}", "weights", t.w),
         _vec(f"b{l}", "biases", t.b)),
        _vec(f"Z{l}", "pre-activations", t.z),
    )  # fmt: skip
    last = t.number == n_layers
    output = " This is the network's output Ŷ, in standardised units." if last else ""
    a = Step(
        f"A{t.number}", False, f"A{l} = {act}(Z{l})",
        f"{shape_text(t.z)} → {shape_text(t.a)}, entry by entry",
        f"The activation {act}(z) = {get_activation(act).formula} is applied to every entry "
        f"of Z{l}.{output}",
        (_vec(f"Z{l}", "pre-activations", t.z),),
        _vec(f"A{l}", "activations", t.a),
    )  # fmt: skip
    return [z, a]


def _loss_step(trace: SampleTrace) -> Step:
    L = sup(len(trace.layers))
    return Step(
        "L", False, "L = ½ Σ (Ŷ − Y)²", f"{shape_text(trace.yhat)}, {shape_text(trace.ys)} → 1",
        "The training objective for this one sample (m = 1): half the squared error summed "
        "over the outputs, in standardised units. Training averages it over the m samples of "
        "a batch.",
        (_vec(f"Ŷ = A{L}", "network output", trace.yhat),
         _vec("Y", "standardised target", trace.ys)),
        _vec("L", "loss", np.array([trace.loss])),
    )  # fmt: skip


def _backward_steps(t: LayerTrace, n_layers: int, trace: SampleTrace) -> list[Step]:
    return [
        _dz_step(t, n_layers, trace),
        _dw_step(t),
        _db_step(t),
        _da_step(t),
    ]


def _dz_step(t: LayerTrace, n_layers: int, trace: SampleTrace) -> Step:
    l, act = sup(t.number), t.activation
    slope = f"{act}′(z) = {derivative_formula(act)}"
    shapes = f"{shape_text(t.da)} ⊙ {shape_text(t.d_act)} → {shape_text(t.dz)}"
    result = _vec(f"dZ{l}", "gradient of L with respect to Z", t.dz)
    if t.number == n_layers and act == "linear":
        return Step(
            f"dZ{t.number}", True, f"dZ{l} = Ŷ − Y",
            f"{shape_text(trace.yhat)} − {shape_text(trace.ys)} → {shape_text(t.dz)}",
            f"Step 7, backward: the output layer is linear, so the gradient of "
            f"L = ½ Σ (Ŷ − Y)² with respect to Z{l} is the error Ŷ − Y itself.",
            (_vec("Ŷ", "network output", trace.yhat), _vec("Y", "standardised target", trace.ys)),
            result,
        )  # fmt: skip
    if t.number == n_layers:
        formula, first = f"dZ{l} = (Ŷ − Y) ⊙ {act}′(Z{l})", "Step 7, backward: the error Ŷ − Y"
        da = _vec(f"dA{l} = Ŷ − Y", "error", t.da)
    else:
        formula, first = f"dZ{l} = dA{l} ⊙ {act}′(Z{l})", f"The gradient dA{l}"
        da = _vec(f"dA{l}", "gradient of L with respect to A", t.da)
    off = " A unit that is off (z ≤ 0) passes no gradient back." if act == "relu" else ""
    return Step(
        f"dZ{t.number}", True, formula, shapes,
        f"{first} times the slope of {act} at each unit's Z, where {slope}.{off}",
        (da, _vec(f"{act}′(Z{l})", "slopes", t.d_act)),
        result,
    )  # fmt: skip


def _dw_step(t: LayerTrace) -> Step:
    l, p = sup(t.number), sup(t.number - 1)
    return Step(
        f"dW{t.number}", True, f"dW{l} = A{p}ᵀ · dZ{l}",
        f"{shape_text(t.a_prev.T)} · {shape_text(t.dz)} → {shape_text(t.dw)}",
        f"Weight W{l}[i, j] multiplies input i on its way to unit j, so its gradient is "
        f"A{p}[i] × dZ{l}[j]. Training divides by the batch size m (here 1); step 8 then "
        f"updates W{l} ← W{l} − η · dW{l}.",
        (_mat(f"A{p}ᵀ", "", t.a_prev.T), _vec(f"dZ{l}", "", t.dz)),
        _mat(f"dW{l}", "gradient of L with respect to W", t.dw),
    )  # fmt: skip


def _db_step(t: LayerTrace) -> Step:
    l = sup(t.number)
    return Step(
        f"db{t.number}", True, f"db{l} = dZ{l}",
        f"{shape_text(t.dz)} summed over the samples → {shape_text(t.db)}",
        f"A bias enters its unit's Z with slope 1, so its gradient is the unit's dZ{l}, summed "
        f"over the samples of the batch (here one). Step 8: b{l} ← b{l} − η · db{l}.",
        (_vec(f"dZ{l}", "", t.dz),),
        _vec(f"db{l}", "gradient of L with respect to b", t.db),
    )  # fmt: skip


def _da_step(t: LayerTrace) -> Step:
    l, p = sup(t.number), sup(t.number - 1)
    if t.number == 1:
        note = (
            "The gradient with respect to the standardised input x: training does not need "
            "it, but it shows which input the loss is most sensitive to."
        )
    else:
        note = (
            f"The gradient handed back to layer {t.number - 1}'s outputs: each unit's dZ{l} "
            f"flows back along its weights."
        )
    return Step(
        f"dA{t.number - 1}", True, f"dA{p} = dZ{l} · W{l}ᵀ",
        f"{shape_text(t.dz)} · {shape_text(t.w.T)} → {shape_text(t.da_prev)}",
        note,
        (_vec(f"dZ{l}", "", t.dz), _mat(f"W{l}ᵀ", "", t.w.T)),
        _vec(f"dA{p}", "gradient of L with respect to A", t.da_prev),
    )  # fmt: skip
