// Times one model in ONNX Runtime (CPU, fp32) for bench/runtime_vs_ort.sh.
//   node bench/ort_run.mjs <model.onnx> <input.npy> <threads> <runs>
// Prints JSON: {"median_ms": ..., "runs": ..., "threads": ...}. Each run is one session.run on a
// single input (batch 1), timed on its own; the median is reported, after 20 warm-up runs.
import { readFileSync } from "node:fs";
import ort from "onnxruntime-node";

function readNpyF32(path) {
  const buf = readFileSync(path);
  if (buf.toString("latin1", 1, 6) !== "NUMPY") throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const off = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString("latin1", major === 1 ? 10 : 12, off);
  if (!header.includes("'<f4'")) throw new Error(`${path}: float32 little-endian expected`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1].split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + buf.length));
  return { shape, data };
}

const [modelPath, inputPath, threadsArg, runsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const runs = Number(runsArg ?? 200);
const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: "sequential",
  graphOptimizationLevel: "all",
});
const { shape, data } = readNpyF32(inputPath);
const feeds = { [session.inputNames[0]]: new ort.Tensor("float32", data, shape) };
for (let i = 0; i < 20; i++) await session.run(feeds);
const ms = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  await session.run(feeds);
  ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: ms[Math.floor(ms.length / 2)], runs, threads }));
