import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stories260K } from './shared.ts';

/** A simple chat template (Zephyr-like), enough to exercise chat mode on real weights. */
export const TEST_CHAT_TEMPLATE =
  "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}";

/**
 * stories260K with a chat template added to its tokenizer config (weights linked, not copied): the same real
 * model, seen by the harness as a chat model.
 */
export function chatStories(dir: string): string {
  const out = join(dir, 'stories260K-chat');
  mkdirSync(join(out, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'generation_config.json']) copyFileSync(join(stories260K, f), join(out, f));
  const tc = JSON.parse(readFileSync(join(stories260K, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(out, 'tokenizer_config.json'), JSON.stringify({ ...tc, chat_template: TEST_CHAT_TEMPLATE }));
  for (const f of ['model.onnx', 'model_quantized.onnx']) symlinkSync(join(stories260K, 'onnx', f), join(out, 'onnx', f));
  return out;
}
