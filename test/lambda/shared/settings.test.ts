import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSetting, SETTING_LIST, SETTINGS, type SettingKey } from '../../../lambda/shared/settings';

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The rows of the README "## Configuration" table, keyed by their first cell. */
const configurationRows = (): Map<string, string[]> => {
  const section = README.split(/^## /m).find((s) => s.startsWith('Configuration\n')) ?? '';
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  return new Map(rows.slice(1).map((cells) => [cells[0] ?? '', cells]));
};

const integerBounds = (bounds: string): [number, number] | undefined => {
  const m = /^(\d+)\.\.(\d+)$/.exec(bounds);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};

describe('the settings spec', () => {
  const rows = configurationRows();

  it('finds the README configuration table (so the checks below read it)', () => {
    // Act
    const keys = [...rows.keys()];

    // Assess
    expect(keys).toEqual(SETTING_LIST.map((s) => s.key));
  });

  it.each(SETTING_LIST.map((s) => [s.key, s] as const))(
    'documents %s in the README with its context key, env var, flag, default and bounds',
    (_key, spec) => {
      // Act
      const [, context, env, flag, defaultText, bounds] = rows.get(spec.key) ?? [];

      // Assess
      expect(context).toBe(spec.context ? `\`${spec.context}\`` : '—');
      expect(env).toBe(spec.env ? `\`${spec.env}\`` : '—');
      expect(flag).toBe(spec.flag ? `\`${spec.flag}\`` : '—');
      expect(defaultText).toBe(spec.defaultText);
      expect(bounds?.replace(/\\\|/g, '|')).toBe(spec.bounds);
    },
  );

  it.each(
    SETTING_LIST.flatMap((s) => {
      const b = integerBounds(s.bounds);
      return b ? [[s.key as SettingKey, b[0], b[1]] as const] : [];
    }),
  )('parses %s exactly within its documented bounds %i..%i', (key, min, max) => {
    // Act
    const atMin = parseSetting(key, String(min));
    const atMax = parseSetting(key, String(max));
    const below = parseSetting(key, String(min - 1));
    const above = parseSetting(key, String(max + 1));

    // Assess
    expect(atMin).toEqual({ ok: true, value: min });
    expect(atMax).toEqual({ ok: true, value: max });
    expect(below.ok).toBe(false);
    expect(above).toEqual({ ok: false, reason: `${max + 1} is out of range (${min} to ${max})` });
  });

  it.each(SETTING_LIST.map((s) => [s.key as SettingKey, s] as const))(
    'gives %s the default its README row shows',
    (key, spec) => {
      // Act
      const parsed = parseSetting(key, undefined);

      // Assess
      expect(parsed).toEqual({ ok: true, value: spec.default });
      if (typeof spec.default === 'number' || typeof spec.default === 'boolean') {
        expect(spec.defaultText.startsWith(String(spec.default))).toBe(true);
      }
    },
  );

  it('has the new settings with the names the other parts use', () => {
    // Act
    const { dependencyTimeoutMs, mantleFirstCallTimeoutMs, subscribeModels, reservedConcurrency } = SETTINGS;

    // Assess
    expect([dependencyTimeoutMs.flag, dependencyTimeoutMs.env, dependencyTimeoutMs.default]).toEqual([
      '--dependency-timeout',
      'BEDROCK_MATRIX_DEPENDENCY_TIMEOUT_MS',
      10_000,
    ]);
    expect([
      mantleFirstCallTimeoutMs.flag,
      mantleFirstCallTimeoutMs.env,
      mantleFirstCallTimeoutMs.default,
    ]).toEqual(['--mantle-first-timeout', 'BEDROCK_MATRIX_MANTLE_FIRST_TIMEOUT_MS', 120_000]);
    expect([subscribeModels.context, subscribeModels.env, subscribeModels.flag]).toEqual([
      'subscribeModels',
      undefined,
      undefined,
    ]);
    expect(reservedConcurrency.default).toBeUndefined();
    // The CLI fills exactly these flags from the environment (cli/settings.ts withEnvironment).
    expect(SETTING_LIST.filter((s) => s.cliReadsEnv).map((s) => s.key)).toEqual([
      'canary',
      'guardrailId',
      'guardrailVersion',
    ]);
    expect(parseSetting('subscribeModels', 'true')).toEqual({ ok: true, value: true });
  });
});
