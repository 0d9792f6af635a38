/**
 * Minimal, copy-paste call snippets for one matrix cell, generated from the evidence that made
 * the cell `supported` (base URL, route, model ID). Each snippet sends the same tiny request the
 * probe sent. Bearer keys come from @aws/bedrock-token-generator (TypeScript) or
 * aws-bedrock-token-generator (Python); see docs/bedrock-wire.md "Recipes".
 */
import { invokeBody } from './invoke-bodies';
import type { Api, Endpoint, InvokeFamily } from './model';

export interface SnippetInput {
  readonly region: string;
  readonly endpoint: Endpoint;
  readonly api: Api;
  /** Base URL with the route, e.g. `https://bedrock-mantle.us-east-1.api.aws/v1`. */
  readonly baseUrl: string;
  /** The host's base URL without a route (runtime native apis use it). */
  readonly hostUrl: string;
  readonly modelId: string;
  readonly family: InvokeFamily | null;
}

export interface Snippet {
  readonly id: 'typescript' | 'python' | 'boto3' | 'curl';
  readonly title: string;
  readonly code: string;
}

const PROMPT = 'Say hello.';
const MAX_TOKENS = 16;

const js = (s: string): string => JSON.stringify(s);
/** Shell single quotes: safe for any text, including model IDs with `:`. */
const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const TOKEN_TS = (region: string) =>
  `import { getTokenProvider } from '@aws/bedrock-token-generator';\n\n// A short-term Bedrock API key (12 h at most), signed locally from your AWS credentials.\nconst token = await getTokenProvider({ region: ${js(region)} })();`;
const TOKEN_PY = (region: string) =>
  `from aws_bedrock_token_generator import provide_token\n\n# A short-term Bedrock API key, signed locally from your AWS credentials.\ntoken = provide_token(region=${js(region)})`;
const CURL_TOKEN =
  '# AWS_BEARER_TOKEN_BEDROCK: a short-term Bedrock API key (see the TypeScript or Python snippet).';

const chatBody = (model: string) => ({
  model,
  messages: [{ role: 'user', content: PROMPT }],
  max_tokens: MAX_TOKENS,
});
const responsesBody = (model: string) => ({ model, input: PROMPT, max_output_tokens: MAX_TOKENS });
const messagesBody = (model: string) => ({
  model,
  max_tokens: MAX_TOKENS,
  messages: [{ role: 'user', content: PROMPT }],
});
const converseBody = {
  messages: [{ role: 'user', content: [{ text: PROMPT }] }],
  inferenceConfig: { maxTokens: MAX_TOKENS },
};

const bearerCurl = (url: string, body: unknown, extra: readonly string[] = []): string =>
  [
    CURL_TOKEN,
    `curl -sS --fail-with-body ${sh(url)} \\`,
    '  -H "Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK" \\',
    ...extra.map((h) => `  -H ${sh(h)} \\`),
    "  -H 'Content-Type: application/json' \\",
    `  -d ${sh(JSON.stringify(body))}`,
  ].join('\n');

function openAiSnippets(i: SnippetInput): Snippet[] {
  const chat = i.api === 'chat';
  const call = chat
    ? `const answer = await client.chat.completions.create({\n  model: ${js(i.modelId)},\n  messages: [{ role: 'user', content: ${js(PROMPT)} }],\n  max_tokens: ${MAX_TOKENS},\n});\nconsole.log(answer.choices[0]?.message.content);`
    : `const answer = await client.responses.create({\n  model: ${js(i.modelId)},\n  input: ${js(PROMPT)},\n  max_output_tokens: ${MAX_TOKENS},\n});\nconsole.log(answer.output_text);`;
  const pyCall = chat
    ? `answer = client.chat.completions.create(\n    model=${js(i.modelId)},\n    messages=[{"role": "user", "content": ${js(PROMPT)}}],\n    max_tokens=${MAX_TOKENS},\n)\nprint(answer.choices[0].message.content)`
    : `answer = client.responses.create(model=${js(i.modelId)}, input=${js(PROMPT)}, max_output_tokens=${MAX_TOKENS})\nprint(answer.output_text)`;
  const path = chat ? '/chat/completions' : '/responses';
  return [
    {
      id: 'typescript',
      title: 'TypeScript (openai SDK)',
      code: `import OpenAI from 'openai';\n${TOKEN_TS(i.region)}\n\nconst client = new OpenAI({ baseURL: ${js(i.baseUrl)}, apiKey: token });\n${call}\n`,
    },
    {
      id: 'python',
      title: 'Python (openai SDK)',
      code: `from openai import OpenAI\n${TOKEN_PY(i.region)}\n\nclient = OpenAI(base_url=${js(i.baseUrl)}, api_key=token)\n${pyCall}\n`,
    },
    {
      id: 'curl',
      title: 'curl',
      code: `${bearerCurl(`${i.baseUrl}${path}`, chat ? chatBody(i.modelId) : responsesBody(i.modelId))}\n`,
    },
  ];
}

function messagesSnippets(i: SnippetInput): Snippet[] {
  // The Anthropic SDK appends /v1/messages to its base URL itself.
  const sdkBase = i.baseUrl.replace(/\/v1$/, '');
  return [
    {
      id: 'typescript',
      title: 'TypeScript (Anthropic SDK)',
      code: `import Anthropic from '@anthropic-ai/sdk';\n${TOKEN_TS(i.region)}\n\nconst client = new Anthropic({ baseURL: ${js(sdkBase)}, authToken: token, apiKey: null });\nconst answer = await client.messages.create({\n  model: ${js(i.modelId)},\n  max_tokens: ${MAX_TOKENS},\n  messages: [{ role: 'user', content: ${js(PROMPT)} }],\n});\nconsole.log(answer.content[0]?.type === 'text' ? answer.content[0].text : answer.content);\n`,
    },
    {
      id: 'python',
      title: 'Python (Anthropic SDK)',
      code: `from anthropic import Anthropic\n${TOKEN_PY(i.region)}\n\nclient = Anthropic(base_url=${js(sdkBase)}, auth_token=token)\nanswer = client.messages.create(model=${js(i.modelId)}, max_tokens=${MAX_TOKENS}, messages=[{"role": "user", "content": ${js(PROMPT)}}])\nprint(answer.content[0].text)\n`,
    },
    {
      id: 'curl',
      title: 'curl',
      code: `${bearerCurl(`${i.baseUrl}/messages`, messagesBody(i.modelId), ['anthropic-version: 2023-06-01'])}\n`,
    },
  ];
}

function converseSnippets(i: SnippetInput): Snippet[] {
  const path = `${i.hostUrl}/model/${encodeURIComponent(i.modelId)}/converse`;
  return [
    {
      id: 'typescript',
      title: 'TypeScript (AWS SDK v3, SigV4)',
      code: `import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';\n\nconst client = new BedrockRuntimeClient({ region: ${js(i.region)}, endpoint: ${js(i.hostUrl)} });\nconst answer = await client.send(\n  new ConverseCommand({\n    modelId: ${js(i.modelId)},\n    messages: [{ role: 'user', content: [{ text: ${js(PROMPT)} }] }],\n    inferenceConfig: { maxTokens: ${MAX_TOKENS} },\n  }),\n);\nconsole.log(answer.output?.message?.content?.[0]?.text);\n`,
    },
    {
      id: 'boto3',
      title: 'Python (boto3, SigV4)',
      code: `import boto3\n\nclient = boto3.client("bedrock-runtime", region_name=${js(i.region)})\nanswer = client.converse(\n    modelId=${js(i.modelId)},\n    messages=[{"role": "user", "content": [{"text": ${js(PROMPT)}}]}],\n    inferenceConfig={"maxTokens": ${MAX_TOKENS}},\n)\nprint(answer["output"]["message"]["content"][0]["text"])\n`,
    },
    { id: 'curl', title: 'curl (Bedrock API key)', code: `${bearerCurl(path, converseBody)}\n` },
  ];
}

function invokeSnippets(i: SnippetInput): Snippet[] {
  if (!i.family) return [];
  const body = invokeBody(i.family, PROMPT, MAX_TOKENS);
  const path = `${i.hostUrl}/model/${encodeURIComponent(i.modelId)}/invoke`;
  return [
    {
      id: 'typescript',
      title: 'TypeScript (AWS SDK v3, SigV4)',
      code: `import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';\n\nconst client = new BedrockRuntimeClient({ region: ${js(i.region)}, endpoint: ${js(i.hostUrl)} });\nconst answer = await client.send(\n  new InvokeModelCommand({\n    modelId: ${js(i.modelId)},\n    contentType: 'application/json',\n    body: JSON.stringify(${JSON.stringify(body)}),\n  }),\n);\nconsole.log(new TextDecoder().decode(answer.body));\n`,
    },
    {
      id: 'boto3',
      title: 'Python (boto3, SigV4)',
      code: `import json\nimport boto3\n\nclient = boto3.client("bedrock-runtime", region_name=${js(i.region)})\nanswer = client.invoke_model(modelId=${js(i.modelId)}, body=json.dumps(${JSON.stringify(body)}))\nprint(answer["body"].read().decode())\n`,
    },
    { id: 'curl', title: 'curl (Bedrock API key)', code: `${bearerCurl(path, body)}\n` },
  ];
}

/** The snippets for one cell; empty when no request body is known (InvokeModel of an unknown family). */
export function snippetsFor(i: SnippetInput): Snippet[] {
  switch (i.api) {
    case 'chat':
    case 'responses':
      return openAiSnippets(i);
    case 'messages':
      return messagesSnippets(i);
    case 'converse':
      return converseSnippets(i);
    case 'invoke':
      return invokeSnippets(i);
  }
}
