import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockMatrixStack, stackNameFor } from '../lib/bedrock-matrix-stack';
import { ConfigError, type MatrixConfig, readConfig } from '../lib/config';

/** Builds the app: one monitoring stack per configured region, checked by cdk-nag. */
export const buildApp = (app: App = new App()): App => {
  const { regions, ...settings }: MatrixConfig = readConfig(app);
  for (const region of regions) {
    new BedrockMatrixStack(app, stackNameFor(region), {
      // The account stays unresolved so synthesis works without credentials.
      env: {
        region,
        ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
      },
      description: `bedrock-matrix: Bedrock capability monitor for ${region}`,
      ...settings,
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
};

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
