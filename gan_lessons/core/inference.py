"""A model's outputs on arrays, in inference mode, without ``model.predict``'s cost per call.

``keras.Model.predict`` builds a ``tf.data`` pipeline and an iterator at every call, and traces a compiled function at
the first call of each model.  For one digit from lesson 03's shipped generator on a 2-core CPU it took 71 ms a call,
against 10 ms for calling the generator itself, and 0.13 s against 0.02 s on a fresh model's first call (for 500
digits, 318 against 259 ms; the same numbers).  A widget's slider pays that at every move, and the package calls
models hundreds of times a lesson (sample grids while training, the classifier's scores, the style-mixing grids).
:func:`predict` calls the model on each batch instead; the numbers are those of ``model.predict`` (the same layers in
inference mode, ``training=False``).

Called layer by layer from Python ("eagerly"), a model pays Python's cost for each of its operations at each batch.
So a model's first call of one batch runs eagerly, and any call of several batches, or any later call, goes through a
``tf.function`` traced once for that model and kind of input (its batch size left open) and kept as long as the model
lives.  On a 2-core CPU, lesson 06's five style-mixing counts (about 30 batches each through the style-based generator
and as many through the classifier) took 19.5 s eagerly and 6.7 s so, the traces included, with the same numbers; one
digit from lesson 03's generator 12.7 ms a call eagerly and 4.8 ms so, and 500 digits 501 against 267 ms.
"""

from __future__ import annotations

import weakref

import numpy as np

from .validate import check_positive_int

# model -> {kind of input: its traced function}; a model with no entry has not been called here yet
_traced: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def predict(model, inputs, batch_size: int = 32):
    """What ``model.predict(inputs, batch_size=batch_size, verbose=0)`` returns -- numpy arrays, in the model's
    output structure -- computed by calling ``model`` on batches of ``batch_size`` rows in inference mode.  The batches
    are ``model.predict``'s (32 rows unless asked), so a model that draws noise at each call (lesson 06's noise
    injection) draws it as ``model.predict`` would.
    ``inputs``: an array, or a list or tuple of arrays with as many rows each (a model with several inputs, e.g. noise
    and labels)."""
    import keras

    several = isinstance(inputs, list | tuple)
    arrays = [np.asarray(a) for a in inputs] if several else [np.asarray(inputs)]
    # as model.predict does: float64 arrays (numpy's default) become the backend's float type
    arrays = [a.astype(keras.config.floatx()) if a.dtype == np.float64 else a for a in arrays]
    rows = {len(a) for a in arrays}
    if len(rows) != 1:
        raise ValueError(f"the inputs must have as many rows each, got {sorted(len(a) for a in arrays)}.")
    batch_size = check_positive_int("batch_size", batch_size)
    (n,) = rows
    starts = range(0, max(n, 1), batch_size)
    call = _call_for(model, arrays, several, batches=len(starts))
    outputs = []
    for start in starts:
        out = call([a[start : start + batch_size] for a in arrays])
        outputs.append(keras.tree.map_structure(keras.ops.convert_to_numpy, out))
    if len(outputs) == 1:
        return outputs[0]
    return keras.tree.map_structure(lambda *parts: np.concatenate(parts), *outputs)


def _call_for(model, arrays: list[np.ndarray], several: bool, batches: int):
    """How to call ``model`` on a list of batches: eagerly if this is its first call and of one batch, else through
    the function traced for it and this kind of input (traced now if there is none)."""
    first = model not in _traced
    functions = _traced.setdefault(model, {})
    if first and batches == 1:
        return lambda batch: model(batch if several else batch[0], training=False)
    kind = (several, tuple((a.dtype.str, a.shape[1:]) for a in arrays))
    if kind not in functions:
        import tensorflow as tf

        this = weakref.ref(model)  # the function must not keep the model alive: it is kept only while the model is

        def call(*batch):
            return this()(list(batch) if several else batch[0], training=False)

        signature = [tf.TensorSpec((None, *a.shape[1:]), tf.as_dtype(a.dtype)) for a in arrays]
        functions[kind] = tf.function(call, input_signature=signature, autograph=False)
    return lambda batch: functions[kind](*batch)
