import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockMatrixStack, stackNameFor } from './bedrock-matrix-stack';
import { type MatrixConfig, readConfig } from './config';

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
