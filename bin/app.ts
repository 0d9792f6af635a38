import { buildApp } from '../lib/app';
import { ConfigError } from '../lib/config';

try {
  buildApp().synth();
} catch (error) {
  if (error instanceof ConfigError) {
    // A bad value is the user's typo, not a crash: one line, no stack trace.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
