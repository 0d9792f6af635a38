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

/** The allowed values of a number prop: whole numbers in `min..max`, or with `aboveMin` any in `min < v <= max`. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** `min` itself is not allowed (`min < value <= max`), and fractions are. @default false */
  readonly aboveMin?: boolean;
}

/** Checks that an optional number prop lies in `range`. */
export const checkNumber = (
  construct: string,
  prop: string,
  value: number | undefined,
  range: NumberRange,
): void => {
  if (value === undefined || Token.isUnresolved(value)) return;
  const { min, max, aboveMin = false } = range;
  const ok = aboveMin
    ? Number.isFinite(value) && value > min && value <= max
    : Number.isInteger(value) && value >= min && value <= max;
  if (ok) return;
  const expected = aboveMin ? `above ${min} and at most ${max}` : `a whole number from ${min} to ${max}`;
  throw new InvalidPropError(construct, prop, value, `is not ${expected}`);
};

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
