import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, type MatrixConfig, readConfig } from './config';
import { HOME_STACK_NAME, HomeStack } from './home-stack';
import { buildOrgStacks } from './org/org-app';
import { readOrgConfig } from './org/org-config';
import { RegionStack, stackNameFor } from './region-stack';

/**
 * Builds the app, checked by cdk-nag: one home stack in the home region (the table of every
 * region, topics, the home function, dashboard and alarms) and one region stack per probed region.
 * With `-c org=<file>`, an organization's app instead (lib/org/org-app.ts): code stacks and a home
 * whose StackSet puts a member stack in every target account and region.
 */
export const buildApp = (app: App = new App()): App => {
  const config: MatrixConfig = readConfig(app);
  const orgFile = app.node.tryGetContext('org');
  if (orgFile !== undefined && orgFile !== '') {
    if (typeof orgFile !== 'string') throw new ConfigError('org', orgFile, 'is not a file path');
    buildOrgStacks(app, config, readOrgConfig(orgFile));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app;
  }
  const { regions, alarmEmails, sentinelPeriodMinutes, ...settings } = config;
  // The account stays unresolved so synthesis works without credentials.
  const account = process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {};
  const home = new HomeStack(app, HOME_STACK_NAME, {
    env: { region: config.home, ...account },
    description: `bedrock-matrix home: results, alerts, dashboard and alarms of ${regions.join(', ')}`,
    regions,
    alarmEmails,
    sentinelPeriodMinutes,
    noticeDays: config.noticeDays,
    dependencyTimeoutMs: config.dependencyTimeoutMs,
  });
  for (const region of regions) {
    const stack = new RegionStack(app, stackNameFor(region), {
      env: { region, ...account },
      description: `bedrock-matrix: Bedrock capability prober for ${region}, writing to ${config.home}`,
      ...settings,
    });
    // No reference crosses regions (the table is named); the dependency only orders the deploy:
    // `cdk deploy --all` creates the table before any prober writes to it.
    stack.addStackDependency(home, `the prober of ${region} writes to the table of the home stack`);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
};
