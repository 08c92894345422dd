"""Training throughput of nngui's NumPy engine beside scikit-learn and PyTorch on the CPU.

    python bench/bench_engine.py                 # full run, a few minutes
    python bench/bench_engine.py --quick         # a rough table in well under a minute
    python bench/bench_engine.py --only 64,64 --repeat 5 --no-seed-task

Every engine trains the same network (2 inputs, the hidden layers, 3 linear outputs, relu) on the
same data (the seed article's training split, standardised) with the same rule (plain SGD,
small learning rate, no momentum) and the same batch size, in one process, with the same number
of BLAS / OpenMP threads. Each measurement runs whole epochs for a fixed time budget after a
warm-up; the engines take turns (interleaved) and each keeps its best of ``--repeat`` turns, so
that noise from other programs hurts every engine alike. Throughput is training samples per
second (epochs × training rows / seconds).

The "seed task" section trains the recommended "fast and accurate" settings for at most 10 s
and reports the test RMSE per output in original units, and scikit-learn's default
MLPRegressor for comparison. This is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from nngui.core.data import Dataset, DataSpec, make_dataset, split_dataset
from nngui.core.losses import regression_metrics
from nngui.core.network import LayerSpec, Network, count_parameters
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.training import TrainConfig, Trainer

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None
try:
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
except ImportError:  # scikit-learn is optional too (pip install .[bench])
    sklearn = None

ARCHS = {"4,4": (4, 4), "64,64": (64, 64), "256,256,256": (256, 256, 256)}
BATCHES = (0, 256, 32)  # 0 = full batch
DTYPES = ("float64", "float32")
LR = 1e-4  # small, so that no engine diverges or slows down on denormals
SEED = 42

#: The recommended "fast and accurate" settings for the seed task (see docs/performance.md).
RECOMMENDED = {
    "hidden": (32,),
    "activation": "relu",
    "init": "xavier",
    "val_ratio": 0.15,
    "optimizer": "adam",
    "lr": 0.001,
    "batch_size": 128,
    "dtype": "float32",
    "time_limit": 10.0,
}
RMSE_GOAL = 0.01


# ----- engines ----------------------------------------------------------------------------
# An engine factory takes (hidden, batch, dtype, data) and returns a function that trains one
# epoch, or None when the engine cannot run that row.
Epoch = Callable[[], None]


def nngui_engine(hidden: tuple[int, ...], batch: int, dtype: str, data: Dataset) -> Epoch:
    """nngui's Trainer, one ``train_epoch`` per call (no evaluation, as in the other engines)."""
    layers = [LayerSpec(h, "relu") for h in hidden] + [LayerSpec(3, "linear")]
    rng = np.random.RandomState(SEED)
    net = Network.initialise(2, layers, rng, dtype=np.dtype(dtype).type)
    config = TrainConfig(optimizer="sgd", lr=LR, batch_size=batch, dtype=dtype)
    trainer = Trainer(net, data, config)
    return lambda: trainer.train_epoch()


def torch_engine(hidden: tuple[int, ...], batch: int, dtype: str, data: Dataset) -> Epoch | None:
    """A plain PyTorch loop: randperm, index, forward, 0.5·mean squared error, backward, SGD."""
    if torch is None:
        return None
    tdtype = getattr(torch, dtype)
    x = torch.from_numpy(np.ascontiguousarray(data.train.xs, dtype=dtype))
    y = torch.from_numpy(np.ascontiguousarray(data.train.ys, dtype=dtype))
    n = len(x)
    bs = n if batch in (0, None) or batch >= n else batch
    torch.manual_seed(SEED)
    sizes = (2, *hidden, 3)
    modules: list[torch.nn.Module] = []
    for i in range(len(sizes) - 1):
        modules.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            modules.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*modules).to(tdtype)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.0, nesterov=False)

    def epoch() -> None:
        order = torch.randperm(n) if bs < n else None
        for start in range(0, n, bs):
            if order is None:
                xb, yb = x, y
            else:
                idx = order[start : start + bs]
                xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = 0.5 * ((model(xb) - yb) ** 2).sum() / len(xb)
            loss.backward()
            opt.step()

    return epoch


def sklearn_engine(hidden: tuple[int, ...], batch: int, dtype: str, data: Dataset) -> Epoch | None:
    """scikit-learn's MLPRegressor, solver="sgd", one ``partial_fit`` (= one epoch) per call."""
    if sklearn is None:
        return None
    x = np.ascontiguousarray(data.train.xs, dtype=dtype)
    y = np.ascontiguousarray(data.train.ys, dtype=dtype)
    n = len(x)
    model = MLPRegressor(
        hidden_layer_sizes=hidden,
        activation="relu",
        solver="sgd",
        alpha=0.0,
        batch_size=n if batch in (0, None) or batch >= n else batch,
        learning_rate="constant",
        learning_rate_init=LR,
        momentum=0.0,
        nesterovs_momentum=False,
        shuffle=True,
        random_state=SEED,
    )
    return lambda: model.partial_fit(x, y)


ENGINES: dict[str, Callable[..., Epoch | None]] = {
    "nngui": nngui_engine,
    "torch": torch_engine,
    "sklearn": sklearn_engine,
}


# ----- measuring ----------------------------------------------------------------------------
def timed_epochs(epoch: Epoch, budget: float, pause: float) -> float:
    """Run whole epochs for at least ``budget`` seconds; return epochs per second.

    First sleep ``pause`` seconds and run one untimed epoch: the thread pools of the engine
    that ran before (OpenBLAS's workers spin for up to ~0.1 s after their last call, OpenMP's
    for a while too) must not steal a core from this one, and this one's pools must be awake.
    """
    time.sleep(pause)
    epoch()
    done = 0
    t0 = time.perf_counter()
    while True:
        epoch()
        done += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= budget:
            return done / elapsed


def warm_up(epoch: Epoch, seconds: float) -> None:
    """At least one epoch, and at least ``seconds`` of them (caches, BLAS threads, allocator)."""
    t0 = time.perf_counter()
    epoch()
    while time.perf_counter() - t0 < seconds:
        epoch()


@dataclass
class Row:
    """One line of the table: samples per second of each engine (NaN: not run)."""

    arch: str
    batch: int
    dtype: str
    rates: dict[str, float]


def measure_row(
    arch: str, batch: int, dtype: str, data: Dataset, budget: float, repeat: int, pause: float
) -> Row:
    """Build every engine for this row, warm up, then interleave ``repeat`` turns; keep the best."""
    n = len(data.train)
    epochs: dict[str, Epoch] = {}
    for name, factory in ENGINES.items():
        epoch = factory(ARCHS[arch], batch, dtype, data)
        if epoch is not None:
            warm_up(epoch, min(0.2, budget / 2))
            epochs[name] = epoch
    best = dict.fromkeys(ENGINES, float("nan"))
    for _ in range(repeat):
        for name, epoch in epochs.items():
            rate = timed_epochs(epoch, budget, pause) * n
            best[name] = rate if np.isnan(best[name]) else max(best[name], rate)
    return Row(arch, batch, dtype, best)


def matmul_peak(size: int, dtype: str, tries: int = 5) -> float:
    """Best GFLOP/s of ``size``² @ ``size``² np.matmul over ``tries`` (2·size³ flops each)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(dtype)
    b = rng.standard_normal((size, size)).astype(dtype)
    out = np.empty_like(a)
    np.matmul(a, b, out=out)
    best = np.inf
    for _ in range(tries):
        t0 = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - t0)
    return 2 * size**3 / best / 1e9


# ----- printing -----------------------------------------------------------------------------
def rate_text(rate: float) -> str:
    """Samples per second, e.g. "1.27 M", "412 k" or "—"."""
    if np.isnan(rate):
        return "—"
    if rate >= 1e6:
        return f"{rate / 1e6:.2f} M"
    return f"{rate / 1e3:.0f} k" if rate >= 1e4 else f"{rate / 1e3:.1f} k"


def ratio_text(a: float, b: float) -> str:
    """a / b as "1.23×", or "—" when either is missing."""
    return "—" if np.isnan(a) or np.isnan(b) else f"{a / b:.2f}×"


def print_table(rows: list[Row], n_train: int) -> None:
    """The throughput table, one line per (architecture, batch, dtype)."""
    head = (
        f"{'network':<17} {'batch':>5} {'dtype':<7} "
        f"{'nngui':>9} {'torch':>9} {'sklearn':>9}   {'vs torch':>8} {'vs sklearn':>10}"
    )
    print(head)
    print("-" * len(head))
    last = None
    for r in rows:
        if last is not None and r.arch != last:
            print()
        last = r.arch
        net = f"2-{r.arch.replace(',', '-')}-3"
        batch = "full" if r.batch in (0, n_train) else str(r.batch)
        nn, to, sk = (r.rates[k] for k in ("nngui", "torch", "sklearn"))
        print(
            f"{net:<17} {batch:>5} {r.dtype:<7} {rate_text(nn):>9} {rate_text(to):>9} "
            f"{rate_text(sk):>9}   {ratio_text(nn, to):>8} {ratio_text(nn, sk):>10}"
        )


def print_peak_share(
    rows: list[Row], arch: str, params: int, peak: dict[str, float], n_train: int
) -> None:
    """nngui's achieved GFLOP/s on ``arch`` as a share of the matmul peak of its dtype.

    Flops per training sample are counted as 6·P for P weights and biases: the forward pass
    multiplies and adds once per weight (2·P), the backward pass twice (dW and dA_prev, 4·P).
    The first layer computes no dA_prev, so this slightly overstates the work done.
    """
    print(
        f"\nAchieved GFLOP/s of nngui on 2-{arch.replace(',', '-')}-3 ({params:,} "
        "parameters P), counted as 6·P flops per sample (forward 2·P, backward 4·P):"
    )
    for r in rows:
        if r.arch != arch:
            continue
        gflops = 6 * params * r.rates["nngui"] / 1e9
        batch = "full" if r.batch in (0, n_train) else str(r.batch)
        print(
            f"  batch {batch:>4} {r.dtype:<7} {gflops:6.1f} GFLOP/s = "
            f"{100 * gflops / peak[r.dtype]:3.0f} % of the {r.dtype} matmul peak"
        )


def print_machine(threads: int) -> None:
    """CPU, core count, library versions and the BLAS NumPy uses."""
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        model = names[0] if names else model
    except OSError:
        pass
    print(f"machine   : {model}, {os.cpu_count()} logical CPUs, {platform.system()}")
    versions = [f"numpy {np.__version__}"]
    if torch is not None:
        versions.append(f"torch {torch.__version__}")
    if sklearn is not None:
        versions.append(f"scikit-learn {sklearn.__version__}")
    print(f"python    : {platform.python_version()}; " + ", ".join(versions))
    for info in threadpool_info():
        path = info.get("filepath", "")
        if info.get("user_api") == "blas":
            owner = next((o for o in ("numpy", "scipy", "torch") if f"/{o}" in path), "?")
            print(
                f"BLAS      : {info.get('internal_api')} {info.get('version')} "
                f"({info.get('architecture', '?')} kernels), {os.path.basename(path)} "
                f"(loaded by {owner})"
            )
    print(f"threads   : {threads} (threadpoolctl for BLAS/OpenMP, torch.set_num_threads)")


# ----- the seed task ----------------------------------------------------------------------
def rmse_of(net: Network, data: Dataset) -> np.ndarray:
    """Test RMSE per output in original units."""
    yhat = data.y_scaler.inverse(net.forward(data.test.xs).astype(np.float64))
    return regression_metrics(yhat, data.test.y).rmse


def seed_task_nngui(settings: dict[str, object], seed: int = SEED) -> None:
    """Train the settings once on the data of ``seed``; print RMSE per output, time to goal.

    The time to the goal is when the weights the trainer would keep (those with the best
    validation loss so far) first reach RMSE <= RMSE_GOAL on every test output; it is checked
    in the progress callback (every 50 ms), whose cost counts against the time limit.
    """
    s = settings
    rng = np.random.RandomState(seed)
    spec = DataSpec(val_ratio=s["val_ratio"], seed=seed)
    data = make_dataset(spec, rng, np.dtype(s["dtype"]).type)
    layers = [LayerSpec(h, s["activation"]) for h in s["hidden"]] + [LayerSpec(3, "linear")]
    net = Network.initialise(2, layers, rng, s["init"], np.dtype(s["dtype"]).type)
    config = TrainConfig(
        optimizer=s["optimizer"],
        lr=s["lr"],
        batch_size=s["batch_size"],
        epochs=100_000,
        time_limit=s["time_limit"],
        dtype=s["dtype"],
        init=s["init"],
    )
    trainer = Trainer(net, data, config)
    reached: list[float] = []
    checked = [None]
    t0 = time.perf_counter()

    def on_progress(_progress: object) -> None:
        if reached or trainer.best_params is None or trainer.best_epoch == checked[0]:
            return
        checked[0] = trainer.best_epoch
        best = Network(net.n_inputs, net.layers, trainer.best_params, net.dtype)
        if rmse_of(best, data).max() <= RMSE_GOAL:
            reached.append(time.perf_counter() - t0)

    result = trainer.run(on_progress=on_progress)
    rmse = rmse_of(net, data)
    hidden = ",".join(str(h) for h in s["hidden"])
    print(
        f"nngui train --hidden {hidden} --activation {s['activation']} --init {s['init']} "
        f"--optimizer {s['optimizer']} --lr {s['lr']:g} --batch-size {s['batch_size']} "
        f"--val-ratio {s['val_ratio']:g} --dtype {s['dtype']} --epochs 100000 "
        f"--time-limit {s['time_limit']:g}" + (f" --seed {seed}" if seed != SEED else "")
    )
    print(
        f"  {result.epochs_run} epochs in {result.seconds:.1f} s ({result.outcome}), kept epoch "
        f"{result.restored_epoch if result.restored_epoch is not None else result.epochs_run}"
    )
    names = data.output_names
    print("  test RMSE : " + "   ".join(f"{n} {v:.5f}" for n, v in zip(names, rmse, strict=True)))
    when = f"{reached[0]:.1f} s" if reached else f"not within {s['time_limit']:g} s"
    print(f"  RMSE <= {RMSE_GOAL} on every output after: {when}")


def seed_task_sklearn(seconds: float) -> None:
    """scikit-learn's default MLPRegressor(hidden_layer_sizes=(100,)) for ``seconds``.

    It gets the same standardised inputs and targets, all 7,000 fitting rows (it holds none out
    for validation by default) and trains epoch by epoch with partial_fit until the time is up.
    The test RMSE is checked after every epoch, outside the clock; the final weights are the
    last epoch's (it keeps no best weights).
    """
    if sklearn is None:
        print("scikit-learn is not installed")
        return
    data = make_dataset(DataSpec(), np.random.RandomState(SEED))
    model = MLPRegressor(hidden_layer_sizes=(100,), random_state=SEED)
    epochs, training, reached = 0, 0.0, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        while training < seconds:
            t0 = time.perf_counter()
            model.partial_fit(data.train.xs, data.train.ys)
            training += time.perf_counter() - t0
            epochs += 1
            yhat = data.y_scaler.inverse(model.predict(data.test.xs))
            rmse = regression_metrics(yhat, data.test.y).rmse
            if reached is None and rmse.max() <= RMSE_GOAL:
                reached = training
    print(
        "MLPRegressor(hidden_layer_sizes=(100,)) defaults (adam, lr 0.001, batch 200): "
        f"{epochs} epochs in {training:.1f} s of training"
    )
    names = data.output_names
    print("  test RMSE : " + "   ".join(f"{n} {v:.5f}" for n, v in zip(names, rmse, strict=True)))
    when = f"{reached:.1f} s" if reached is not None else f"not within {seconds:g} s"
    print(f"  RMSE <= {RMSE_GOAL} on every output after: {when} (checked every epoch, untimed)")


# ----- classification ---------------------------------------------------------------------------
#: Classification rows: Playground's spiral (two classes: one sigmoid output, binary
#: cross-entropy) and three Gaussian clouds (softmax over three, categorical cross-entropy).
CLASS_POINTS = 10_000
CLASS_HIDDEN = (64, 64)
CLASS_BATCHES = (32, 256, 0)


def class_data(k: int) -> Dataset:
    """A classification data set of CLASS_POINTS points with k classes (2: the spiral)."""
    if k == 2:
        return make_playground_dataset(PlaygroundSpec("spiral", CLASS_POINTS, 0.1, SEED))
    rng = np.random.RandomState(SEED)
    labels = np.arange(CLASS_POINTS) % k
    centres = rng.normal(0, 3, (k, 2))
    x = centres[labels] + rng.normal(0, 1, (CLASS_POINTS, 2))
    classes = tuple(str(i) for i in range(k))
    return split_dataset(None, x, np.eye(k)[labels], CLASS_POINTS // 2, 0, ("x1", "x2"),  # type: ignore[arg-type]
                         ("label",), task="classification", classes=classes)  # fmt: skip


def nngui_classifier(batch: int, dtype: str, data: Dataset, k: int) -> Epoch:
    """nngui's Trainer on a classification set: cross-entropy fused with its output."""
    out = LayerSpec(1, "sigmoid") if k == 2 else LayerSpec(k, "softmax")
    layers = [*(LayerSpec(h, "relu") for h in CLASS_HIDDEN), out]
    net = Network.initialise(2, layers, np.random.RandomState(SEED), dtype=np.dtype(dtype).type)
    trainer = Trainer(net, data, TrainConfig(optimizer="sgd", lr=LR, batch_size=batch, dtype=dtype))
    return lambda: trainer.train_epoch()


def torch_classifier(batch: int, dtype: str, data: Dataset, k: int) -> Epoch | None:
    """The same in a plain PyTorch loop: BCEWithLogitsLoss or CrossEntropyLoss, SGD."""
    if torch is None:
        return None
    x = torch.from_numpy(np.ascontiguousarray(data.train.xs, dtype=dtype))
    y = np.ascontiguousarray(data.train.ys, dtype=dtype)
    target = torch.from_numpy(y) if k == 2 else torch.from_numpy(y.argmax(axis=1))
    n = len(x)
    bs = n if batch in (0, None) or batch >= n else batch
    torch.manual_seed(SEED)
    sizes = (2, *CLASS_HIDDEN, 1 if k == 2 else k)
    modules: list[torch.nn.Module] = []
    for i in range(len(sizes) - 1):
        modules.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            modules.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*modules).to(getattr(torch, dtype))
    loss_fn = torch.nn.BCEWithLogitsLoss() if k == 2 else torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def epoch() -> None:
        order = torch.randperm(n) if bs < n else None
        for start in range(0, n, bs):
            idx = None if order is None else order[start : start + bs]
            xb = x if idx is None else x[idx]
            tb = target if idx is None else target[idx]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(xb), tb).backward()
            opt.step()

    return epoch


def classification_table(budget: float, repeat: int) -> None:
    """Samples per second of nngui and PyTorch on the same classification work, interleaved."""
    head = f"{'task':<22} {'batch':>5} {'dtype':<7} {'nngui':>9} {'torch':>9}   {'vs torch':>8}"
    print(head)
    print("-" * len(head))
    for k in (2, 3):
        data = class_data(k)
        n = len(data.train)
        name = "spiral, sigmoid+BCE" if k == 2 else "3 clouds, softmax+CE"
        for batch in CLASS_BATCHES:
            for dtype in DTYPES:
                engines = {"nngui": nngui_classifier(batch, dtype, data, k),
                           "torch": torch_classifier(batch, dtype, data, k)}  # fmt: skip
                best = dict.fromkeys(engines, float("nan"))
                for epoch in engines.values():
                    if epoch is not None:
                        warm_up(epoch, min(0.2, budget / 2))
                for _ in range(repeat):
                    for key, epoch in engines.items():
                        if epoch is not None:
                            rate = timed_epochs(epoch, budget, 0.25) * n
                            best[key] = rate if np.isnan(best[key]) else max(best[key], rate)
                shown = "full" if batch == 0 else str(batch)
                print(
                    f"{name:<22} {shown:>5} {dtype:<7} {rate_text(best['nngui']):>9} "
                    f"{rate_text(best['torch']):>9}   {ratio_text(best['nngui'], best['torch']):>8}"
                )


# ----- main -----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    """Parse the options, print the machine, the matmul peak, the table and the seed task."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="rough: short turns, one each")
    p.add_argument("--repeat", type=int, default=None, help="turns per engine (default 3)")
    p.add_argument("--budget", type=float, default=None, help="seconds per turn (default 0.5)")
    p.add_argument("--only", choices=list(ARCHS), help="one architecture (hidden layers)")
    p.add_argument("--threads", type=int, default=2, help="BLAS / torch threads (default 2)")
    p.add_argument("--no-seed-task", action="store_true", help="skip the seed task section")
    p.add_argument("--classification", action="store_true",
                   help="only the classification rows (nngui against PyTorch)")  # fmt: skip
    p.add_argument(
        "--seeds",
        default=str(SEED),
        help="comma-separated data/weight seeds for the seed task (default 42, the article's)",
    )
    args = p.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    budget = args.budget or (0.2 if args.quick else 0.5)
    if torch is not None:
        torch.set_num_threads(args.threads)
    with threadpool_limits(args.threads):
        print_machine(args.threads)
        if args.classification:
            print(f"\nClassification, samples/s ({CLASS_POINTS // 2:,} training rows; "
                  f"2-64-64 relu; SGD lr {LR:g}; best of {repeat} × {budget:g} s)\n")  # fmt: skip
            classification_table(budget, repeat)
            return
        data = make_dataset(DataSpec(), np.random.RandomState(SEED))
        n = len(data.train)
        size, tries = 2048, 3 if args.quick else 7
        peak = {dt: matmul_peak(size, dt, tries) for dt in DTYPES}
        print(
            f"matmul    : {peak['float64']:.1f} GFLOP/s float64, {peak['float32']:.1f} GFLOP/s "
            f"float32 (np.matmul {size}×{size}, best of {tries})"
        )
        print(
            f"\nTraining throughput, samples/s (seed data, {n:,} rows; relu; SGD lr {LR:g}; "
            f"best of {repeat} × {budget:g} s)\n"
        )
        archs = [args.only] if args.only else list(ARCHS)
        rows = []
        first_peak = dict(peak)
        for arch in archs:
            for batch in BATCHES:
                for dtype in DTYPES:
                    rows.append(measure_row(arch, batch, dtype, data, budget, repeat, 0.25))
            # Measure the peak again after each architecture and keep the best: a busy
            # machine can only lower it.
            for dt in DTYPES:
                peak[dt] = max(peak[dt], matmul_peak(size, dt, tries))
        print_table(rows, n)
        if peak != first_peak:
            print(
                f"\nmatmul, best of the measurements between the rows: {peak['float64']:.1f} "
                f"GFLOP/s float64, {peak['float32']:.1f} GFLOP/s float32 (used below)"
            )
        widest = list(ARCHS)[-1]
        params = count_parameters(2, [LayerSpec(h) for h in ARCHS[widest]] + [LayerSpec(3)])
        if widest in archs:
            print_peak_share(rows, widest, params, peak, n)
        if not args.no_seed_task:
            print(f"\nSeed task: recommended settings, at most {RECOMMENDED['time_limit']:g} s")
            for seed in (int(v) for v in args.seeds.split(",")):
                seed_task_nngui(RECOMMENDED, seed)
            seconds = 5.0 if args.quick else 20.0
            print(f"\nscikit-learn for comparison, {seconds:g} s")
            seed_task_sklearn(seconds)


if __name__ == "__main__":
    main()
