import { type Duration, Token } from 'aws-cdk-lib';
import { parseSetting, type SettingKey, settingText } from '../lambda/shared/settings';

/**
 * A construct was given a prop it cannot build from. Thrown at synth time, before any resource
 * exists, with one line naming the construct, the prop and the value (the aws-cdk design
 * guidelines' "validate early").
 */
export class InvalidPropError extends Error {
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${construct}: ${prop} ${JSON.stringify(value)} ${reason}`);
    this.name = 'InvalidPropError';
  }
}

/** Checks a setting prop with the settings spec's own parser (lambda/shared/settings.ts). */
export const checkSetting = (construct: string, key: SettingKey, value: unknown): void => {
  if (value === undefined || Token.isUnresolved(value)) return;
  const parsed = parseSetting(key, settingText(value));
  if (!parsed.ok) throw new InvalidPropError(construct, key, value, `is invalid: ${parsed.reason}`);
};

/** Checks an optional number prop with `ok`; `expected` completes "is not ...". */
const checkNumber = (
  construct: string,
  prop: string,
  value: number | undefined,
  ok: (n: number) => boolean,
  expected: string,
): void => {
  if (value === undefined || Token.isUnresolved(value) || ok(value)) return;
  throw new InvalidPropError(construct, prop, value, `is not ${expected}`);
};

/** Checks that an optional number prop is a whole number in `min..max`. */
export const checkInteger = (
  construct: string,
  prop: string,
  value: number | undefined,
  min: number,
  max: number,
) =>
  checkNumber(
    construct,
    prop,
    value,
    (n) => Number.isInteger(n) && n >= min && n <= max,
    `a whole number from ${min} to ${max}`,
  );

/** Checks that an optional number prop lies in `min < value <= max`. */
export const checkAbove = (
  construct: string,
  prop: string,
  value: number | undefined,
  min: number,
  max: number,
) =>
  checkNumber(
    construct,
    prop,
    value,
    (n) => Number.isFinite(n) && n > min && n <= max,
    `above ${min} and at most ${max}`,
  );

/** Checks that an optional duration prop lies within `min..max` (whole seconds compared). */
export const checkDuration = (
  construct: string,
  prop: string,
  value: Duration | undefined,
  min: Duration,
  max: Duration,
): void => {
  if (value === undefined || value.isUnresolved()) return;
  const seconds = value.toSeconds({ integral: false });
  if (seconds < min.toSeconds() || seconds > max.toSeconds()) {
    throw new InvalidPropError(
      construct,
      prop,
      value.toHumanString(),
      `is out of range (${min.toHumanString()} to ${max.toHumanString()})`,
    );
  }
};
