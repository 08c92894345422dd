"""Training: TrainConfig, Series, History and the Trainer's loop, outcomes and callbacks."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import pytest

from nngui.core.data import DataSpec, make_dataset
from nngui.core.kernels import Backprop, augment
from nngui.core.losses import objective
from nngui.core.network import LayerSpec, Network, seed_layers
from nngui.core.training import (
    EXPLOSION,
    History,
    Progress,
    RunResult,
    Series,
    TrainConfig,
    TrainConfigError,
    Trainer,
    has_exploded,
    is_eval_epoch,
    train,
    weights_epoch_after,
)

SMALL = DataSpec(samples=1000)
SMALL_VAL = DataSpec(samples=2000, val_ratio=0.2)
TANH_16 = [LayerSpec(16, "tanh"), LayerSpec(3, "linear")]


def make_trainer(
    spec: DataSpec = SMALL,
    layers=None,
    seed: int = 0,
    dtype: type = np.float64,
    **config,
) -> Trainer:
    """A trainer on a fresh data set and network drawn from one RandomState(seed) stream."""
    cfg = TrainConfig(**config)
    rng = np.random.RandomState(seed)
    ds = make_dataset(spec, rng, dtype)
    net = Network.initialise(ds.n_inputs, layers or seed_layers(3), rng, cfg.init, dtype)
    return Trainer(net, ds, cfg)


def loss_on_test(trainer: Trainer) -> float:
    return trainer.split_loss(trainer.data.test)


# ----- TrainConfig ---------------------------------------------------------------------------
def test_config_defaults_are_the_articles() -> None:
    cfg = TrainConfig()
    assert (cfg.optimizer, cfg.lr, cfg.batch_size, cfg.epochs) == ("gd", 0.01, 0, 1000)
    assert (cfg.l2, cfg.patience, cfg.time_limit, cfg.init, cfg.dtype) == (
        0.0,
        0,
        0.0,
        "he",
        "float64",
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"optimizer": "rmsprop"},
        {"optimizer": ""},
        {"lr": 0.0},
        {"lr": -0.1},
        {"lr": 10.5},
        {"lr": math.nan},
        {"lr": math.inf},
        {"batch_size": -1},
        {"batch_size": 2.5},
        {"momentum": -0.1},
        {"momentum": 1.0},
        {"momentum": math.nan},
        {"beta1": 1.0},
        {"beta1": -0.5},
        {"beta2": 1.0},
        {"beta2": math.nan},
        {"eps": 0.0},
        {"eps": 1.0},
        {"eps": math.nan},
        {"l2": -1e-3},
        {"l2": math.nan},
        {"l2": math.inf},
        {"epochs": -1},
        {"epochs": 100_000_001},
        {"epochs": 10.5},
        {"patience": -1},
        {"patience": 0.5},
        {"time_limit": -1.0},
        {"time_limit": math.inf},
        {"time_limit": math.nan},
        {"init": "lecun"},
        {"dtype": "float16"},
        {"dtype": "int32"},
    ],
)
def test_config_validation(bad: dict) -> None:
    with pytest.raises(TrainConfigError):
        TrainConfig(**bad)


@pytest.mark.parametrize("seed", [-1, 1.5, "x", None])
def test_config_validates_shuffle_seed(seed) -> None:
    with pytest.raises(TrainConfigError):
        TrainConfig.from_dict({"shuffle_seed": seed})


def test_config_edge_values_are_accepted() -> None:
    TrainConfig(lr=10, batch_size=1, momentum=0.0, beta1=0.0, epochs=0, patience=1)
    TrainConfig(epochs=100_000_000, time_limit=0.001, eps=1e-12, init="xavier", dtype="float32")


def test_config_round_trip() -> None:
    cfg = TrainConfig(
        optimizer="adam", lr=0.003, batch_size=64, l2=1e-4, epochs=2000, patience=20,
        time_limit=10.0, init="xavier", dtype="float32", shuffle_seed=7,
    )  # fmt: skip
    d = cfg.to_dict()
    assert d["optimizer"] == "adam"
    assert d["shuffle_seed"] == 7
    assert TrainConfig.from_dict(d) == cfg
    assert TrainConfig.from_dict(d | {"unknown_key": 1}) == cfg  # unknown keys are ignored
    assert TrainConfig.from_dict({}) == TrainConfig()  # missing keys take the defaults


@pytest.mark.parametrize(
    "bad", [{"lr": "fast"}, {"lr": None}, {"epochs": "ten"}, {"batch_size": None}, {"lr": -1}]
)
def test_config_from_dict_rejects_malformed_values(bad: dict) -> None:
    with pytest.raises(TrainConfigError):
        TrainConfig.from_dict(TrainConfig().to_dict() | bad)


# ----- Series and History --------------------------------------------------------------------
def test_series_grows() -> None:
    s = Series()
    assert len(s) == 0
    assert s.values.shape == (0,)
    for i in range(1000):
        s.append(i * 0.5)
    assert len(s) == 1000
    np.testing.assert_array_equal(s.values, np.arange(1000) * 0.5)
    assert s.values.dtype == np.float64
    with pytest.raises(ValueError):
        s.values[0] = 1.0  # read-only view
    t = Series([1.0, 2.0, 3.0])
    t.append(4.0)
    np.testing.assert_array_equal(t.values, [1, 2, 3, 4])
    u = Series(np.arange(200.0))
    u.append(200.0)
    np.testing.assert_array_equal(u.values, np.arange(201.0))


def test_history_arrays_round_trip() -> None:
    trainer = make_trainer(epochs=30)
    trainer.run()
    h = trainer.history
    assert h.epochs == 30
    arrays = h.arrays()
    assert set(arrays) == {"train_loss", "eval_epochs", "val_loss", "test_loss",
                           "val_accuracy", "test_accuracy"}  # fmt: skip
    assert arrays["train_loss"].shape == (30,)
    np.testing.assert_array_equal(arrays["eval_epochs"], np.arange(31))  # every epoch <= 400
    assert np.isnan(arrays["val_loss"]).all()  # no validation split
    assert np.isfinite(arrays["test_loss"]).all()
    assert arrays["test_loss"].shape == arrays["eval_epochs"].shape == (31,)
    arrays["train_loss"][0] = -1.0  # copies, not views
    assert h.train_loss.values[0] != -1.0
    rebuilt = History.from_arrays(h.arrays())
    for key, value in h.arrays().items():
        np.testing.assert_array_equal(rebuilt.arrays()[key], value)
    assert rebuilt.epochs == 30


def eval_counts_per_doubling(ks: range) -> list[int]:
    """How many epochs in [2^k, 2^(k+1)) are evaluated, for each k."""
    counts = []
    for k in ks:
        epochs = range(2**k, 2 ** (k + 1))
        counts.append(sum(map(is_eval_epoch, epochs)))
    return counts


def test_eval_schedule() -> None:
    assert all(is_eval_epoch(e) for e in range(401))
    assert not all(is_eval_epoch(e) for e in range(401, 1000))
    assert is_eval_epoch(1000)
    for count in eval_counts_per_doubling(range(9, 16)):
        assert 100 <= count <= 400


def test_eval_schedule_stays_about_200_per_doubling_for_long_runs() -> None:
    for count in eval_counts_per_doubling(range(16, 20)):
        assert 100 <= count <= 400


def test_history_follows_the_eval_schedule() -> None:
    trainer = make_trainer(epochs=1000)
    trainer.report_interval = math.inf  # no time-based evaluations
    trainer.run()
    expected = [e for e in range(1001) if is_eval_epoch(e)]
    np.testing.assert_array_equal(trainer.history.eval_epochs.values, expected)


# ----- the Trainer ---------------------------------------------------------------------------
def test_gd_on_the_seed_reduces_the_loss() -> None:
    trainer = make_trainer(DataSpec(), epochs=200)
    before = loss_on_test(trainer)
    result = trainer.run()
    assert result.outcome == "completed"
    assert result.epochs_run == 200
    assert result.restored_epoch is None
    losses = trainer.history.train_loss.values
    assert np.all(np.diff(losses) < 0)  # small-step full-batch gd descends every epoch
    assert loss_on_test(trainer) < 0.6 * before


@pytest.mark.parametrize(("optimizer", "lr"), [("sgd", 0.02), ("momentum", 0.01), ("adam", 0.01)])
def test_minibatch_optimizers_reduce_the_loss(optimizer: str, lr: float) -> None:
    trainer = make_trainer(layers=TANH_16, optimizer=optimizer, lr=lr, batch_size=32, epochs=15)
    before = loss_on_test(trainer)
    result = trainer.run()
    assert result.outcome == "completed"
    assert trainer.history.epochs == 15
    assert loss_on_test(trainer) < 0.2 * before
    assert trainer.history.train_loss.values[-1] < trainer.history.train_loss.values[0]


def test_train_loss_is_the_objective_before_the_update() -> None:
    trainer = make_trainer(layers=TANH_16, optimizer="sgd", batch_size=700, epochs=1)
    # 700 training rows, batch 700: one full batch, so the loss is the objective before update
    start = trainer.net.get_params()
    trainer.run()
    check = Network(2, TANH_16, start)
    expected = objective(check.forward(trainer.data.train.xs), trainer.data.train.ys)
    assert trainer.history.train_loss.values[0] == pytest.approx(expected, rel=1e-12)


def test_l2_update_is_weight_decay_on_weights_only() -> None:
    trainer = make_trainer(l2=0.5, lr=0.1, epochs=1)
    net = trainer.net
    start = net.get_params()
    bp = Backprop(Network(2, seed_layers(3), start), len(trainer.data.train))
    train_split = trainer.data.train
    bp.loss_and_gradients(len(train_split), train_split.ys, augment(train_split.xs))
    trainer.run()
    for p, p0, g in zip(net.params, start, bp.grads, strict=True):
        np.testing.assert_allclose(p[:-1], p0[:-1] - 0.1 * (g[:-1] + 0.5 * p0[:-1]), rtol=1e-12)
        np.testing.assert_allclose(p[-1], p0[-1] - 0.1 * g[-1], rtol=1e-12)


@pytest.mark.parametrize("batch_size", [0, 50])
def test_l2_shrinks_weights(batch_size: int) -> None:
    plain = make_trainer(layers=TANH_16, batch_size=batch_size, lr=0.05, epochs=100)
    decayed = make_trainer(layers=TANH_16, batch_size=batch_size, lr=0.05, epochs=100, l2=0.05)
    plain.run()
    decayed.run()

    def norm(t: Trainer) -> float:
        return sum(float(np.sum(w * w)) for w in t.net.weights)

    assert norm(decayed) < 0.9 * norm(plain)


def test_early_stopping_restores_the_best_weights() -> None:
    kw = {"layers": TANH_16, "optimizer": "adam", "lr": 0.05, "batch_size": 32, "epochs": 500}
    trainer = make_trainer(SMALL_VAL, patience=5, **kw)
    result = trainer.run()
    assert result.outcome == "early_stopped"
    assert result.epochs_run < 500
    best = result.restored_epoch
    assert best is not None
    assert result.epochs_run - best == 5
    assert "best validation loss" in result.message
    h = trainer.history.arrays()
    val_now = trainer.split_loss(trainer.data.val)
    assert val_now == pytest.approx(np.nanmin(h["val_loss"]), rel=1e-12)
    assert h["val_loss"][list(h["eval_epochs"]).index(best)] == pytest.approx(val_now, rel=1e-12)
    # the same training without early stopping, stopped at the best epoch, has these weights
    again = make_trainer(SMALL_VAL, patience=0, **kw)
    again.run(epochs=best)
    for p, q in zip(trainer.net.params, again.net.params, strict=True):
        np.testing.assert_array_equal(p, q)


def test_validation_split_keeps_best_weights_at_completion() -> None:
    trainer = make_trainer(SMALL_VAL, layers=TANH_16, optimizer="adam", lr=0.05, batch_size=32)
    result = trainer.run(epochs=40)
    assert result.outcome == "completed"
    h = trainer.history.arrays()
    assert trainer.split_loss(trainer.data.val) == pytest.approx(np.nanmin(h["val_loss"]))
    assert np.isfinite(h["val_loss"]).all()


def test_time_limit() -> None:
    trainer = make_trainer(epochs=1000, time_limit=1e-6)
    result = trainer.run()
    assert result.outcome == "time_limit"
    assert result.epochs_run == 1
    override = make_trainer(epochs=1000)
    result = override.run(time_limit=1e-6)
    assert result.outcome == "time_limit"
    assert result.epochs_run == 1


def counter(stop_after: int) -> tuple[list[int], Callable[[], bool]]:
    calls = [0]

    def should_stop() -> bool:
        calls[0] += 1
        return calls[0] > stop_after

    return calls, should_stop


def test_should_stop_interrupts_full_batch() -> None:
    trainer = make_trainer(epochs=1000)
    calls, should_stop = counter(3)
    result = trainer.run(should_stop=should_stop)
    assert result.outcome == "interrupted"
    assert result.epochs_run == 3
    assert calls[0] == 4
    assert trainer.history.epochs == 3


def test_should_stop_interrupts_minibatch_mid_epoch() -> None:
    trainer = make_trainer(layers=TANH_16, optimizer="sgd", batch_size=10, epochs=1000)
    calls, should_stop = counter(5)  # 70 batches per epoch: stops inside the first
    result = trainer.run(should_stop=should_stop)
    assert result.outcome == "interrupted"
    assert result.epochs_run == 1
    assert calls[0] <= 7
    assert np.isfinite(trainer.history.train_loss.values).all()


def test_interrupt_epoch_replaces_should_stop_between_batches() -> None:
    """A pause-aware should_stop is asked only between epochs: epochs stay whole."""
    trainer = make_trainer(layers=TANH_16, optimizer="adam", batch_size=10, epochs=1000)
    stop_calls, should_stop = counter(2)  # two whole epochs, then stop
    batch_calls = [0]

    def interrupt_epoch() -> bool:
        batch_calls[0] += 1
        return False

    result = trainer.run(should_stop=should_stop, interrupt_epoch=interrupt_epoch)
    assert result.outcome == "interrupted"
    assert result.epochs_run == 2
    assert stop_calls[0] == 3
    batches = -(-len(trainer.x_train) // 10)
    assert batch_calls[0] == 2 * batches
    assert trainer.optimizer.t == 2 * batches  # every batch of both epochs took its step


def test_should_stop_at_once_trains_nothing() -> None:
    trainer = make_trainer(epochs=10)
    start = trainer.net.get_params()
    result = trainer.run(should_stop=lambda: True)
    assert result.outcome == "interrupted"
    assert result.epochs_run == 0
    for p, q in zip(trainer.net.params, start, strict=True):
        np.testing.assert_array_equal(p, q)


def test_progress_reports_every_epoch_with_zero_interval() -> None:
    trainer = make_trainer(epochs=20)
    trainer.report_interval = 0.0
    reports: list[Progress] = []
    trainer.run(on_progress=reports.append)
    assert all(isinstance(p, Progress) for p in reports)
    assert len(reports) == 21  # one per epoch, and one at the end
    assert [p.epoch for p in reports[:-1]] == list(range(1, 21))
    assert reports[-1].epoch == 20
    assert all(p.epochs_target == 20 for p in reports)
    np.testing.assert_allclose(
        [p.train_loss for p in reports[:-1]], trainer.history.train_loss.values
    )
    assert all(math.isfinite(p.test_loss) and math.isnan(p.val_loss) for p in reports)


def test_iter_run_yields_what_run_reports_and_returns_its_result() -> None:
    by_callback, by_generator = make_trainer(epochs=20), make_trainer(epochs=20)
    reports: list[Progress] = []
    by_callback.report_interval = by_generator.report_interval = 0.0
    expected = by_callback.run(on_progress=reports.append)
    clock = iter(range(1_000))  # one "second" per reading
    steps = by_generator.iter_run(clock=lambda: float(next(clock)))
    yielded = []
    while True:
        try:
            yielded.append(next(steps))
        except StopIteration as end:
            result = end.value
            break
    assert [p.epoch for p in yielded] == [p.epoch for p in reports]
    assert [p.train_loss for p in yielded] == [p.train_loss for p in reports]
    assert (result.outcome, result.epochs_run, result.restored_epoch, result.message) == (
        expected.outcome,
        expected.epochs_run,
        expected.restored_epoch,
        expected.message,
    )
    # The clock was read once at the start, once per epoch and once at the end.
    assert result.seconds == 21 and yielded[-1].elapsed == 21 and yielded[0].elapsed == 1
    np.testing.assert_array_equal(
        by_generator.history.train_loss.values, by_callback.history.train_loss.values
    )


def test_progress_is_throttled() -> None:
    trainer = make_trainer(epochs=300)
    trainer.report_interval = math.inf
    reports: list[Progress] = []
    trainer.run(on_progress=reports.append)
    assert len(reports) == 1  # only the final report
    final = reports[0]
    assert final.epoch == 300
    assert final.train_loss == trainer.history.train_loss.values[-1]
    assert final.test_loss == pytest.approx(loss_on_test(trainer))


def test_no_progress_when_nothing_ran() -> None:
    trainer = make_trainer()
    reports: list[Progress] = []
    trainer.run(epochs=0, on_progress=reports.append)
    assert reports == []


def test_divergence() -> None:
    trainer = make_trainer(lr=10, epochs=1000)
    result = trainer.run()
    assert result.outcome == "diverged"
    assert result.epochs_run < 1000
    assert trainer.net.is_finite()
    assert "epoch" in result.message
    assert str(result.epochs_run) in result.message
    assert result.restored_epoch is not None
    h = trainer.history.arrays()
    # the last epoch's training loss (or the test loss after it) was not finite or exploded
    last = h["train_loss"][-1]
    assert has_exploded(last, h["train_loss"][0]) or not np.isfinite(h["test_loss"][-1])
    assert not any(has_exploded(v, h["train_loss"][0]) for v in h["train_loss"][:-1])
    # the restored weights are those of the last finite evaluation
    assert result.restored_epoch < trainer.history.epochs
    assert np.isfinite(trainer.split_loss(trainer.data.test))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_divergence_with_minibatches(optimizer: str) -> None:
    trainer = make_trainer(optimizer=optimizer, lr=10, batch_size=16, epochs=200)
    result = trainer.run()
    assert result.outcome == "diverged"
    assert trainer.net.is_finite()


def test_run_is_resumable_full_batch() -> None:
    once = make_trainer(epochs=100)
    twice = make_trainer(epochs=50)
    once.run()
    twice.run()
    twice.run()
    assert twice.history.epochs == 100
    for p, q in zip(once.net.params, twice.net.params, strict=True):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(once.history.train_loss.values, twice.history.train_loss.values)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_run_is_resumable_minibatch(optimizer: str) -> None:
    kw = {"layers": TANH_16, "optimizer": optimizer, "lr": 0.01, "batch_size": 64}
    once = make_trainer(**kw)
    twice = make_trainer(**kw)
    once.run(epochs=10)
    twice.run(epochs=4)
    twice.run(epochs=6)
    for p, q in zip(once.net.params, twice.net.params, strict=True):
        np.testing.assert_array_equal(p, q)


def test_set_learning_rate() -> None:
    changed = make_trainer(lr=0.01)
    direct = make_trainer(lr=0.05)
    changed.set_learning_rate(0.05)
    assert changed.optimizer.lr == 0.05
    changed.run(epochs=5)
    direct.run(epochs=5)
    for p, q in zip(changed.net.params, direct.net.params, strict=True):
        np.testing.assert_array_equal(p, q)
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError):
            changed.set_learning_rate(bad)


def test_float32_training() -> None:
    trainer = make_trainer(
        layers=TANH_16, dtype=np.float32, optimizer="adam", lr=0.01, batch_size=32, epochs=10
    )
    before = loss_on_test(trainer)
    result = trainer.run()
    assert result.outcome == "completed"
    assert all(p.dtype == np.float32 for p in trainer.net.params)
    assert trainer.net.forward(trainer.data.test.xs).dtype == np.float32
    assert trainer.history.train_loss.values.dtype == np.float64
    assert np.isfinite(trainer.history.train_loss.values).all()
    assert loss_on_test(trainer) < 0.2 * before


def test_float32_full_batch_tracks_float64() -> None:
    t32 = make_trainer(dtype=np.float32, epochs=50)
    t64 = make_trainer(epochs=50)
    t32.run()
    t64.run()
    np.testing.assert_allclose(
        t32.history.train_loss.values, t64.history.train_loss.values, rtol=1e-4
    )


def test_train_function() -> None:
    rng = np.random.RandomState(0)
    ds = make_dataset(SMALL, rng)
    net = Network.initialise(2, seed_layers(3), rng)
    history, result = train(net, ds, TrainConfig(epochs=25))
    assert result.outcome == "completed"
    assert history.epochs == 25
    assert result.epochs_run == 25
    assert result.seconds >= 0


def test_resuming_with_a_new_trainer_respects_patience() -> None:
    kw = {"optimizer": "adam", "lr": 0.01, "batch_size": 64}
    first = make_trainer(SMALL_VAL, layers=TANH_16, **kw)
    first.run(epochs=1000)
    assert not is_eval_epoch(1001)
    resumed = Trainer(first.net, first.data, TrainConfig(patience=50, **kw), first.history)
    result = resumed.run(epochs=20)
    assert result.outcome != "early_stopped"
    assert result.epochs_run == 20


@pytest.mark.parametrize(
    ("samples", "batch_size"),
    [(1000, 32), (1000, 700), (30_000, 64)],
)
def test_minibatch_epoch_equals_a_plain_loop(samples: int, batch_size: int) -> None:
    """Shuffled, chunked batches give the numbers of the obvious loop over a permutation."""
    trainer = make_trainer(
        DataSpec(samples=samples), layers=TANH_16, optimizer="sgd", lr=0.05,
        batch_size=batch_size, epochs=2,
    )  # fmt: skip
    x, y = trainer.data.train.xs, trainer.data.train.ys
    net = Network(2, TANH_16, trainer.net.get_params())
    rng = np.random.default_rng(trainer.config.shuffle_seed)
    expected_losses = []
    for _ in range(2):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch_size):
            rows = order[start : start + batch_size]
            bp = Backprop(net, len(rows))
            total += bp.loss_and_gradients(len(rows), y[rows], augment(x[rows])) * len(rows)
            for p, g in zip(net.params, bp.grads, strict=True):
                p -= 0.05 * g
        expected_losses.append(total / len(x))
    trainer.run()
    for p, q in zip(trainer.net.params, net.params, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(trainer.history.train_loss.values, expected_losses, rtol=1e-10)


def test_split_loss_and_history_measure_the_current_weights() -> None:
    trainer = make_trainer(layers=TANH_16, epochs=5)
    trainer.run()
    test = trainer.data.test
    expected = objective(trainer.net.forward(test.xs), test.ys)
    assert trainer.split_loss(test) == pytest.approx(expected, rel=1e-13)
    assert trainer.history.test_loss.values[-1] == pytest.approx(expected, rel=1e-13)
    assert math.isnan(trainer.split_loss(None))


def test_divergence_with_a_validation_split_restores_the_best_weights() -> None:
    trainer = make_trainer(SMALL_VAL, lr=10, epochs=1000)
    result = trainer.run()
    assert result.outcome == "diverged"
    assert result.restored_epoch == trainer.best_epoch
    for p, q in zip(trainer.net.params, trainer.best_params, strict=True):
        np.testing.assert_array_equal(p, q)
    h = trainer.history.arrays()
    assert trainer.split_loss(trainer.data.val) == pytest.approx(np.nanmin(h["val_loss"]))


def test_series_extend_grows_in_chunks() -> None:
    series = Series()
    for k in range(10):
        series.extend(np.arange(k * 500, (k + 1) * 500))
    series.append(5000)
    np.testing.assert_array_equal(series.values, np.arange(5001))


def best_before_last(spec: DataSpec = SMALL_VAL) -> Trainer:
    """A trainer whose best validation epoch (restored) is before its last one."""
    trainer = make_trainer(spec, layers=TANH_16, optimizer="adam", lr=0.05, batch_size=32)
    result = trainer.run(epochs=40)
    assert result.restored_epoch is not None and result.restored_epoch < 40
    return trainer


def test_resuming_from_restored_weights_labels_them_with_their_epoch() -> None:
    first = best_before_last()
    kept = first.best_epoch
    kw = {"optimizer": "adam", "lr": 0.05, "batch_size": 32}
    resumed = Trainer(first.net, first.data, TrainConfig(**kw), first.history, kept)
    assert (resumed.best_epoch, resumed.good_epoch) == (kept, kept)
    resumed.best_val = -np.inf  # no later epoch beats the held weights
    result = resumed.run(epochs=3)
    assert result.restored_epoch == kept, "not the history's last epoch, 40"
    assert f"epoch {kept}," in result.message


def test_resumed_patience_counts_from_the_resume_not_from_the_restored_epoch() -> None:
    first = best_before_last()
    kw = {"optimizer": "adam", "lr": 0.05, "batch_size": 32, "patience": 5}
    resumed = Trainer(first.net, first.data, TrainConfig(**kw), first.history, first.best_epoch)
    resumed.best_val = -np.inf  # no later epoch beats the held weights
    result = resumed.run(epochs=20)
    assert result.outcome == "early_stopped" and result.epochs_run == 5


def test_run_without_restore_leaves_the_last_weights_for_restore_best_weights() -> None:
    trainer = make_trainer(SMALL_VAL, layers=TANH_16, optimizer="adam", lr=0.05, batch_size=32)
    result = trainer.run(epochs=40, restore_best=False)
    assert result.restored_epoch is None and result.message == ""
    last = trainer.net.get_params()
    best = trainer.best_epoch
    assert best is not None and best < 40, "the set-up needs a best epoch before the last"
    assert trainer.restore_best_weights() == best
    assert not all(np.array_equal(a, b) for a, b in zip(last, trainer.net.params, strict=True))
    assert trainer.split_loss(trainer.data.val) == pytest.approx(trainer.best_val)
    assert trainer.restore_best_weights() == best  # idempotent


def test_weights_epoch_after_a_run() -> None:
    def result(run: int, restored: int | None) -> RunResult:
        return RunResult("completed", run, 0.0, restored, "")

    assert weights_epoch_after(result(5, 3), None) == 3  # restored by this run
    assert weights_epoch_after(result(5, None), 3) is None  # trained on: the last epoch's
    assert weights_epoch_after(result(0, None), 3) == 3  # nothing trained: as before


def test_a_loss_that_explodes_is_divergence_before_it_reaches_infinity() -> None:
    trainer = make_trainer(lr=3.0)  # the article's set-up with a rate 300 times too large
    result = trainer.run(epochs=1000)
    assert result.outcome == "diverged" and result.epochs_run < 100
    losses = trainer.history.train_loss.values
    assert np.isfinite(losses).all() and losses[-1] > EXPLOSION * losses[0]
    assert "1e+08 times its first value" in result.message
    assert trainer.net.is_finite()


def test_has_exploded() -> None:
    assert has_exploded(float("nan"), 1.0) and has_exploded(float("inf"), 1.0)
    assert has_exploded(2e8, 1.0) and not has_exploded(5e7, 1.0)
    assert not has_exploded(1e5, 1e-12), "tiny first losses are floored, not divided by"


@pytest.mark.parametrize("lr", [3.0, 10.0])
def test_divergence_keeps_the_weights_with_the_lowest_loss_not_the_next_ones(lr: float) -> None:
    """An epoch's training loss is measured before its update: the weights it judges are
    those it started from. Restoring the weights *after* the best loss would keep a first
    update that already made things worse (a loss of 24 where the untrained net had 3.6)."""
    trainer = make_trainer(lr=lr)
    first = trainer.split_loss(trainer.data.train)
    result = trainer.run(epochs=1000)
    assert result.outcome == "diverged"
    kept = trainer.split_loss(trainer.data.train)
    losses = trainer.history.train_loss.values
    assert kept == pytest.approx(min(losses[np.isfinite(losses)].min(), first), rel=1e-9)
    assert kept <= first


def test_an_adopted_series_holds_the_array_itself_and_never_writes_to_it() -> None:
    values = np.arange(5.0)
    values.flags.writeable = False  # as read from a file: writing to it would raise
    s = Series(values, copy=False)
    assert np.shares_memory(s.values, values) and len(s) == 5
    s.extend(np.array([]))
    s.append(5.0)
    s.extend(np.array([6.0, 7.0]))
    assert s.values.tolist() == list(range(8))
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_a_copied_series_is_independent_of_its_source() -> None:
    values = np.arange(3.0)
    s = Series(values)
    values[0] = 99.0
    assert s.values.tolist() == [0.0, 1.0, 2.0] and not np.shares_memory(s.values, values)
    copied = History.from_arrays(History(s).arrays(), copy=False)  # arrays() made the copies
    assert not np.shares_memory(copied.train_loss.values, s.values)


def test_progress_says_the_time_left_at_its_speed_or_its_time_limit() -> None:
    p = Progress(epoch=100, epochs_target=1100, train_loss=1.0, val_loss=np.nan,
                 test_loss=1.0, elapsed=10.0, epochs_per_second=10.0)  # fmt: skip
    assert p.seconds_left() == 100.0
    assert p.seconds_left(time_limit=30.0) == 20.0  # the limit ends the run first
    assert p.seconds_left(time_limit=5.0) == 0.0
    assert p.seconds_left(time_limit=500.0) == 100.0
    stalled = dataclasses.replace(p, epochs_per_second=0.0)
    assert stalled.seconds_left() is None
