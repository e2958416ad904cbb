#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (npm onnxruntime-node, pinned in bench/package.json) on
// float32 inputs and writes its first output as raw little-endian float32.
//   node ort_run.cjs <model.onnx> <input.f32> <N> <C> <H> <W> <output.f32>
// onnxruntime-node is resolved from bench/node_modules (run `npm install` in bench/ first).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  const [model, input, n, c, h, w, output] = process.argv.slice(2);
  if (!output) {
    console.error('usage: ort_run.cjs <model.onnx> <input.f32> <N> <C> <H> <W> <output.f32>');
    process.exit(2);
  }
  const root = path.resolve(__dirname, '..', '..', '..');
  const ort = createRequire(path.join(root, 'bench', 'package.json'))('onnxruntime-node');
  const dims = [n, c, h, w].map(Number);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(data), dims) };
  const result = await session.run(feeds);
  const out = result[session.outputNames[0]];
  fs.writeFileSync(output, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  console.log(JSON.stringify({ output: session.outputNames[0], dims: out.dims }));
}

main().catch((e) => {
  console.error(`ort_run: ${e.message}`);
  process.exit(1);
});
