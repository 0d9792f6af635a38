import { describe, expect, it } from 'vitest';
import { jvmOptions } from '../../cli/dynamodb-local';

describe('jvmOptions', () => {
  it('runs DynamoDB Local on the client compiler and the serial collector', () => {
    // Act
    const options = jvmOptions(undefined);

    // Assess
    expect(options).toBe('-XX:TieredStopAtLevel=1 -XX:+UseSerialGC');
  });

  it("keeps the user's own JDK_JAVA_OPTIONS, first, so ours add to them", () => {
    // Act
    const options = jvmOptions(' -Xmx512m ');

    // Assess
    expect(options).toBe('-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC');
  });

  it('treats an empty value as none', () => {
    // Act
    const options = jvmOptions('');

    // Assess
    expect(options).toBe('-XX:TieredStopAtLevel=1 -XX:+UseSerialGC');
  });
});
