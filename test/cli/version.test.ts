import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { withCommit } from '../../cli/version';
import { renderCapabilities } from '../../lambda/core/capability-map';
import { renderJson } from '../../lambda/core/render/json';
import { renderTable } from '../../lambda/core/render/table';
import { parseReport } from '../../lambda/core/report-file';
import { assembleReport } from '../../lambda/engine/report';
import { PACKAGE_VERSION } from '../../lambda/shared/version';
import { buildSampleReport } from '../support/sample-report';
import { argv, runCli } from './support';

// A report and a bug report name the build that made them: `--version` on every command, and the
// version in every report's metadata (an optional field: older reports still read).

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const VERSION_LINE = new RegExp(
  `^bedrock-matrix ${pkg.version.replace(/\./g, '\\.')}(\\+[0-9a-f]{4,40}(-dirty)?)?\\n$`,
);

describe('--version', () => {
  it.each([
    argv`--version`,
    argv`-V`,
    argv`probe --version`,
    argv`demo --version`,
    argv`report --in nowhere.json --version`,
    argv`recipe openai.gpt-oss-120b --version`,
    argv`simulate --version`,
    argv`diff --version`,
    argv`scenario --version`,
  ])('%j prints the version and exits 0 before any work', async (...args) => {
    // Act
    const { code, stdout, stderr } = await runCli(args);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(VERSION_LINE);
    expect(stderr).toBe('');
  });

  it('adds the commit only when there is one', () => {
    // Act / Assess
    expect(withCommit('0.1.0', 'abc1234')).toBe('0.1.0+abc1234');
    expect(withCommit('0.1.0', undefined)).toBe('0.1.0');
  });
});

describe('the version in a report', () => {
  it('every assembled report carries it; JSON, the capability map and the table show it', () => {
    // Prepare
    const report = assembleReport({
      runId: 'r1',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:01:00.000Z',
      source: 'simulator',
      runs: [],
    });
    const capabilitiesSchema = JSON.parse(
      readFileSync(new URL('../../schema/capabilities-v1.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv2020({ strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(capabilitiesSchema);

    // Act
    const json = JSON.parse(renderJson(report));
    const caps = JSON.parse(renderCapabilities(report));

    // Assess
    expect(report.toolVersion).toBe(PACKAGE_VERSION);
    expect(json.toolVersion).toBe(pkg.version);
    expect(caps.toolVersion).toBe(pkg.version);
    expect(validate(caps)).toBe(true);
    expect(renderTable(report, { color: false })).toContain(`bedrock-matrix ${pkg.version}`);
  });

  it('a report written before the field existed still reads, and one with it keeps it', () => {
    // Prepare
    const { toolVersion: _drop, ...old } = JSON.parse(renderJson(buildSampleReport()));
    const tagged = { ...old, toolVersion: '0.1.0+abc1234' };

    // Act
    const [readOld, readTagged] = [
      parseReport(JSON.stringify(old), 'old'),
      parseReport(JSON.stringify(tagged), 'new'),
    ];

    // Assess
    expect(readOld.toolVersion).toBeUndefined();
    expect(readTagged.toolVersion).toBe('0.1.0+abc1234');
    expect(() => parseReport(JSON.stringify({ ...old, toolVersion: 7 }), 'bad')).toThrow(/toolVersion/);
  });
});
