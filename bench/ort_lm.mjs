// Greedy decoding in ONNX Runtime (CPU, fp32) with a key/value cache, for bench/lm_vs_ort.sh.
//   node bench/ort_lm.mjs <step.onnx> <layers> <heads> <hd> <threads> <prompt ids,comma> <tokens>
// step.onnx (bench/make_lm_bench.py): ids [1, 1], past_k/past_v [layers, 1, heads, P, hd] in;
// logits [1, 1, V], present_k/present_v out. The prompt is fed one position per run, as Sigil's
// step program does; then `tokens` greedy tokens. Prints JSON: the token ids, the median time of
// a generating step, prefill time, peak RSS.
import ort from "onnxruntime-node";

const [path, layersArg, headsArg, hdArg, threadsArg, promptArg, tokensArg] = process.argv.slice(2);
const [layers, heads, hd, threads, tokens] = [layersArg, headsArg, hdArg, threadsArg, tokensArg].map(Number);
const prompt = promptArg.split(",").map(Number);
const session = await ort.InferenceSession.create(path, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: "sequential",
  graphOptimizationLevel: "all",
});

async function generate() {
  let pastK = new ort.Tensor("float32", new Float32Array(0), [layers, 1, heads, 0, hd]);
  let pastV = new ort.Tensor("float32", new Float32Array(0), [layers, 1, heads, 0, hd]);
  const seq = [...prompt];
  const stepMs = [];
  let prefillMs = 0;
  const t0 = process.hrtime.bigint();
  for (let pos = 0; seq.length < prompt.length + tokens; ++pos) {
    const s0 = process.hrtime.bigint();
    const ids = new ort.Tensor("int64", BigInt64Array.from([BigInt(seq[pos])]), [1, 1]);
    const out = await session.run({ ids, past_k: pastK, past_v: pastV });
    pastK = out.present_k;
    pastV = out.present_v;
    if (pos + 1 < seq.length) continue;
    if (pos + 1 === prompt.length) prefillMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const logits = out.logits.data;
    let best = 0;
    for (let j = 1; j < logits.length; ++j) if (logits[j] > logits[best]) best = j;
    seq.push(best);
    stepMs.push(Number(process.hrtime.bigint() - s0) / 1e6);
  }
  return { seq, stepMs, prefillMs };
}

await generate();  // warm-up
const { seq, stepMs, prefillMs } = await generate();
const sorted = [...stepMs].sort((a, b) => a - b);
console.log(JSON.stringify({
  token_ids: seq.slice(prompt.length),
  median_step_ms: sorted[Math.floor(sorted.length / 2)],
  prefill_ms: prefillMs,
  threads,
  peak_rss_mib: process.resourceUsage().maxRSS / 1024,
}));
