/**
 * One DynamoDB Local for the whole run instead of one JVM per test file: a JVM takes
 * about 4 s of both cores to answer, and fourteen files started their own. Each file still gets
 * tables of its own (names unique per file), and a test that must kill DynamoDB starts a private
 * one (`startOwnDynamoDbLocal`).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../cli/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared DynamoDB Local's endpoint, for `sharedDynamoDbLocal()`. */
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal(90_000);
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
