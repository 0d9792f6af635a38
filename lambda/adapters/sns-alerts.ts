/** Publishes an alert built by `buildAlert` to the alerts topic. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../core/alert-message';
import { scrubOutput, scrubSecrets } from '../core/scrub';

/** Returns the SNS message id. */
export async function publishAlert(
  sns: SNSClient,
  topicArn: string,
  alert: Alert,
): Promise<string | undefined> {
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.test(topicArn)) {
    throw new Error(`alerts topic ARN is not an SNS topic ARN: ${JSON.stringify(topicArn)}`);
  }
  const out = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      // buildAlert scrubs already; this is the last point before the text leaves the account,
      // and an alert may be built from evidence stored before a secret was registered.
      Subject: scrubSecrets(alert.subject),
      Message: scrubOutput(alert.message),
      MessageStructure: alert.messageStructure,
      MessageAttributes: Object.fromEntries(
        Object.entries(alert.attributes).map(([name, a]) => [
          name,
          { DataType: a.DataType, StringValue: a.StringValue },
        ]),
      ),
    }),
  );
  return out.MessageId;
}
