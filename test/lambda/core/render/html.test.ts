import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../../../lambda/core/render/html';
import { basicCell, buildSampleReport } from '../../../support/sample-report';

const HOSTILE = '<script>alert("pwned")</script>';

const hostileReport = () => {
  const base = buildSampleReport();
  return {
    ...base,
    runId: `run-"><img src=x onerror=alert(1)>`,
    models: [
      ...base.models,
      { key: HOSTILE, provider: 'evil', ids: { mantle: `${HOSTILE}-id` }, sources: [] },
    ],
    cells: [
      ...base.cells,
      basicCell('us-west-2', HOSTILE, 'mantle', 'chat', 'unsupported', {
        httpStatus: 400,
        message: `does not support <b>"chat"</b> & ${HOSTILE}`,
      }),
    ],
  };
};

describe('renderHtml', () => {
  it('is one self-contained page: inline style and script, no external asset, a CSP that forbids the network', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const html = renderHtml(report);

    // Assess
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<link\b|<img\b|\ssrc=|\shref=|url\(/);
    // Recipes name the Bedrock hosts as text; no attribute may point anywhere.
    expect(html).not.toMatch(/="[^"]*https?:\/\//);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`,
    );
  });

  it('puts a recipe (base URL, model ID, guardrail verdict, curl) in the details of a supported cell only', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const html = renderHtml(report);

    // Assess
    const rowOf = (key: string) =>
      html.match(
        new RegExp(`<tr data-model="[^"]*"><th scope="row">${key.replace(/\./g, '\\.')}<[\\s\\S]*?</tr>`),
      )?.[0] ?? '';
    const row = rowOf('openai.gpt-oss-120b');
    expect(row).toContain('base URL https://bedrock-mantle.us-east-1.api.aws');
    expect(row).toContain('<pre class="recipe">');
    expect(row).toContain('guardrail: IGNORED here');
    const unsupported =
      html.split('\n').find((l) => l.includes('<th scope="row">mistral.voxtral-mini-3b')) ?? '';
    const chatCell = unsupported.match(
      /<td class="cell st-unsupported" data-col="mantle\/chat"[\s\S]*?<\/td>/,
    )?.[0];
    expect(chatCell).toBeDefined();
    expect(chatCell).not.toContain('how to call');
  });

  it('shows the run, the regions and a SIMULATED badge when the report comes from the simulator', () => {
    // Prepare
    const simulated = buildSampleReport({ source: 'simulator' });
    const real = buildSampleReport({ source: 'aws' });

    // Act
    const simHtml = renderHtml(simulated);
    const realHtml = renderHtml(real);

    // Assess
    expect(simHtml).toContain('<span class="badge sim">SIMULATED</span>');
    expect(simHtml).toContain('NOT measured against real AWS');
    expect(simHtml).toContain('run run-2026-05-02T09-00-00Z-7f3a');
    expect(simHtml).toContain('regions us-east-1, us-west-2');
    expect(realHtml).not.toContain('SIMULATED');
  });

  it('renders an accessible matrix: real tables, a row header per model, column headers with scope', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const html = renderHtml(report);

    // Assess
    const east = html.slice(html.indexOf('data-region="us-east-1"'), html.indexOf('data-region="us-west-2"'));
    expect(east.match(/<tr data-model=/g)).toHaveLength(43);
    expect(east.match(/<th scope="row">/g)).toHaveLength(43);
    expect(east).toContain('<th scope="colgroup" colspan="5" data-group="runtime">runtime</th>');
    expect(east).toContain('<th scope="colgroup" colspan="3" data-group="mantle">mantle</th>');
    expect(east.match(/<th scope="col" data-col=/g)).toHaveLength(8);
  });

  it('colour-codes cells and carries their evidence in the tooltip and the expandable detail', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const html = renderHtml(report);

    // Assess
    const row = html.slice(
      html.indexOf('<tr data-model="qwen.qwen3-32b'),
      html.indexOf('</tr>', html.indexOf('<tr data-model="qwen.qwen3-32b')),
    );
    const responses = row.slice(
      row.lastIndexOf('<td class="cell st-unsupported" data-col="mantle/responses"'),
    );
    expect(responses).toMatch(
      /title="basic: unsupported · HTTP 400 · invalid_request_error · route \/v1 · id qwen\.qwen3-32b · \d+ ms/,
    );
    expect(responses).toContain('does not support the &#39;/v1/responses&#39; API');
    expect(responses).toContain('tried /v1, /openai/v1');
    const chat = row.slice(row.indexOf('data-col="mantle/chat"'));
    expect(chat).toContain('<span class="gr-ignored">g!</span>');
    expect(chat).toMatch(
      /<dt>guardrail: ignored<\/dt><dd>HTTP 200 · route \/v1 · id qwen\.qwen3-32b · \d+ ms · tokens 19 in\/16 out/,
    );
    expect(row).toContain(
      '<td class="cell st-throttled" data-col="runtime/converse" data-status="throttled"',
    );
  });

  it('lists changes and totals: mantle/chat of us-east-1 reads 38/40 with the ignored guardrail visible', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const html = renderHtml(report);

    // Assess
    expect(html).toContain(
      '<tr><td>us-east-1</td><th scope="row">mantle/chat</th><td class="ratio">38/40</td><td>1 unsupported, 1 no-access, 3 without a mantle ID</td><td><span class="gr-ignored">38 ignored</span></td></tr>',
    );
    expect(html).toMatch(
      /<th scope="row">openai\.gpt-oss-120b<\/th><td>mantle\/chat guardrail<\/td><td class="st-enforced">enforced<\/td><td class="st-ignored">ignored<\/td>/,
    );
  });

  it('escapes every piece of report text: a model called <script> renders as text', () => {
    // Prepare
    const report = hostileReport();

    // Act
    const html = renderHtml(report);

    // Assess
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('does not support &lt;b&gt;&quot;chat&quot;&lt;/b&gt; &amp; &lt;script&gt;');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });
});
