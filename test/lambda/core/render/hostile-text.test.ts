import { describe, expect, it } from 'vitest';
import { renderChanges } from '../../../../cli/changes-view';
import { buildAlert } from '../../../../lambda/core/alert-message';
import { emptyEvidence, type ModelEntry } from '../../../../lambda/core/model';
import { emptyConfirmedState } from '../../../../lambda/core/ports';
import { render } from '../../../../lambda/core/render';
import { renderRegionView } from '../../../../lambda/core/render/regions';
import { renderChangesWidget, renderMatrixWidget } from '../../../../lambda/core/render/widget';
import { modelChange } from '../../../support/changes';
import { basicCell, buildSampleReport } from '../../../support/sample-report';

// Text from outside reaches every surface people read with its control characters shown, never
// obeyed: an ID that clears the screen, plants a hyperlink, rings the bell or recolours the line.

const OSC8 = '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007';
const HOSTILE_ID = `openai.gpt-oss-20b${OSC8}\u001b[2J\u001b[31m\u0007\u009b`;
const HOSTILE_MESSAGE = `model ${HOSTILE_ID} refused\u001b[0m`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const hostileModel: ModelEntry = {
  key: HOSTILE_ID,
  provider: `evil\u001b[2J`,
  ids: { mantle: HOSTILE_ID },
  sources: ['mantle-models'],
};
const hostileCell = basicCell('us-east-1', HOSTILE_ID, 'mantle', 'chat', 'error', {
  httpStatus: 500,
  message: HOSTILE_MESSAGE,
  reason: `service error: ${HOSTILE_MESSAGE}`,
  modelId: HOSTILE_ID,
});
const hostileChange = modelChange({
  region: 'us-east-1',
  model: HOSTILE_ID,
  kind: 'model-added',
  evidence: emptyEvidence({ message: HOSTILE_MESSAGE, modelId: HOSTILE_ID }),
});
const report = () => {
  const base = buildSampleReport({ extraModels: [hostileModel], extraCells: [hostileCell] });
  return { ...base, changes: [...base.changes, hostileChange] };
};

describe('a hostile model ID and message', () => {
  it.each(['table', 'markdown', 'html'] as const)('reach the %s report shown, not obeyed', (format) => {
    // Act
    const text = render(report(), format);

    // Assess
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('␛]8;;https://evil.example/␇click');
  });

  it('reach the coloured table with no escape sequence but its own colours', () => {
    // Act
    const text = render(report(), 'table', { color: true });

    const bytes = Buffer.byteLength(render(report(), 'table'));
    console.info(`table output with a hostile ID: ${bytes} bytes (colour: ${Buffer.byteLength(text)})`);

    // Assess: colours are CSI ... m sequences; no OSC, no clear screen, no BEL, no C1
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point
    const withoutColours = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutColours).not.toMatch(RAW_CONTROL);
  });

  it('reach the regions view, the diff view, the widget and the alert shown, not obeyed', () => {
    // Prepare
    const at = '2026-05-02T09:00:00.000Z';
    const cell = {
      ...hostileCell,
      route: '/v1',
      modelId: HOSTILE_ID,
      since: at,
      lastSeen: at,
      lastRunId: 'r1',
    };
    const confirmed = {
      ...emptyConfirmedState(),
      models: new Map([[HOSTILE_ID, hostileModel]]),
      cells: new Map([['x', cell]]),
    };
    const stored = {
      region: 'us-east-1',
      confirmed,
      latestRun: null,
      latestCells: null,
      changes: [hostileChange],
    };

    // Act
    const surfaces = [
      ...(['table', 'markdown', 'html'] as const).map((f) => renderRegionView(report(), f)),
      ...(['table', 'markdown'] as const).map((f) => renderChanges([hostileChange], f, 'changes')),
      renderMatrixWidget(stored),
      renderChangesWidget([stored]),
      ...Object.values(
        JSON.parse(
          buildAlert({
            region: 'us-east-1',
            runId: 'r1',
            at: '2026-05-02T09:00:00.000Z',
            changes: [hostileChange],
          }).message,
        ) as Record<string, string>,
      ),
    ];

    // Assess: the alert's JSON bodies are parsed back, so a raw control character would show
    for (const text of surfaces) expect(text).not.toMatch(RAW_CONTROL);
    expect(surfaces.filter((s) => s.includes('␛[2J'))).toHaveLength(surfaces.length);
  });
});
