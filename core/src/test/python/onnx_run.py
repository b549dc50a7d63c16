"""Runs Soma's exported ONNX files in onnxruntime, for OnnxRuntimeTest (core/src/test/java/dev/soma/io/onnx).

Usage: python onnx_run.py JOB.json

JOB.json lists models: {"models": [{"model": "m.onnx", "input": "x.f32", "dtype": "<f4", "shape":
[n, ...], "output": "y.f32"}, ...]}. For each, the model is checked with onnx.checker.check_model
(full_check: shape inference too), run in onnxruntime on the input (raw little-endian values of that
dtype, "<f4" float32 or "<i8" int64, and shape), and
its output written as raw little-endian float32. One JSON line per model on stdout says what the
graph declares (input and output names and shapes, opset, IR version, metadata) and the output's
shape. Needs the venv of scripts/onnx-venv (onnxruntime, onnx, numpy).
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def dims(value_info):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value
            for d in value_info.type.tensor_type.shape.dim]


def main(job_path):
    with open(job_path) as f:
        job = json.load(f)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    for entry in job["models"]:
        model = onnx.load(entry["model"])
        onnx.checker.check_model(model, full_check=True)
        session = ort.InferenceSession(entry["model"], options, providers=["CPUExecutionProvider"])
        x = np.fromfile(entry["input"], dtype=entry.get("dtype", "<f4")).reshape(entry["shape"])
        (y,) = session.run(None, {session.get_inputs()[0].name: x})
        np.ascontiguousarray(y, dtype="<f4").tofile(entry["output"])
        graph = model.graph
        print(json.dumps({
            "model": entry["model"],
            "ir_version": model.ir_version,
            "opset": [[o.domain, o.version] for o in model.opset_import],
            "producer": model.producer_name,
            "inputs": [{"name": i.name, "dims": dims(i), "elem_type": i.type.tensor_type.elem_type} for i in graph.input],
            "outputs": [{"name": o.name, "dims": dims(o)} for o in graph.output],
            "initializers": {t.name: list(t.dims) for t in graph.initializer},
            "ops": [n.op_type for n in graph.node],
            "metadata": {p.key: p.value for p in model.metadata_props},
            "shape": list(y.shape),
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
