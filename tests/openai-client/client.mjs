// OpenAI's official Node client against `sigil node`'s /v1 API: node client.mjs PORT MODEL [REPLY].
// Prints one JSON object with what the client saw; tests/integration/node_integration_test.cpp
// checks it. Any exception the client raises where none is expected ends the run with exit 1.
// With REPLY, asks one completion and writes it to that file as the client returns it (the
// signed claim under `sigil` included), for `sigil claim adopt`.
import { writeFileSync } from "node:fs";
import OpenAI from "openai";

const [port, model, replyFile] = process.argv.slice(2);
const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
const out = {};

if (replyFile) {
  const reply = await client.completions.create({ model, prompt: "Hi", max_tokens: 6, temperature: 0 });
  writeFileSync(replyFile, JSON.stringify(reply));
  console.log(JSON.stringify({ text: reply.choices[0].text, claim: reply.sigil.claim }));
  process.exit(0);
}

out.models = (await client.models.list()).data.map((m) => m.id);

const ask = { model, prompt: "Hello", max_tokens: 6, temperature: 0 };
const done = await client.completions.create(ask);
out.text = done.choices[0].text;
out.finish = done.choices[0].finish_reason;
out.usage = done.usage;
out.commitment = done.sigil.commitment;

let streamed = "";
let last = null;
for await (const chunk of await client.completions.create({ ...ask, stream: true })) {
  streamed += chunk.choices[0].text;
  last = chunk;
}
out.streamed = streamed;
out.streamedCommitment = last.sigil.commitment;

const chatAsk = { model, messages: [{ role: "user", content: "Hi" }], temperature: 0, max_tokens: 4 };
const chat = await client.chat.completions.create(chatAsk);
out.chat = chat.choices[0].message.content;
out.chatRole = chat.choices[0].message.role;
let chatStreamed = "";
for await (const chunk of await client.chat.completions.create({ ...chatAsk, stream: true })) {
  chatStreamed += chunk.choices[0].delta.content ?? "";
}
out.chatStreamed = chatStreamed;

try {
  await client.completions.create({ model: "gpt-4", prompt: "x" });
  out.missing = "no error";
} catch (e) {
  out.missing = { status: e.status, code: e.code, param: e.param, notFound: e instanceof OpenAI.NotFoundError };
}
try {
  await client.completions.create({ ...ask, n: 2 });
  out.unsupported = "no error";
} catch (e) {
  out.unsupported = { status: e.status, code: e.code, param: e.param, badRequest: e instanceof OpenAI.BadRequestError };
}
console.log(JSON.stringify(out));
