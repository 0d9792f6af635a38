// Tests start DynamoDB Local exactly as the demo does: one launcher, one behaviour.
export {
  type DynamoDbLocal,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localClient,
  startDynamoDbLocal,
} from '../../cli/dynamodb-local';
