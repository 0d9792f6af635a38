/** Real wire headers for the simulator's credential-scope tests, made by the real AWS SDK. */
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import type { HttpRequest } from '@smithy/types';

/** The Authorization header the real AWS SDK signs a call to `region` with (captured, never sent). */
export async function sigv4Authorization(
  region: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
): Promise<string> {
  let authorization = '';
  const client = new BedrockClient({
    region,
    credentials,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        authorization = request.headers.authorization ?? '';
        throw new Error('captured, not sent');
      },
    },
  });
  await client.send(new ListFoundationModelsCommand({})).catch(() => {});
  return authorization;
}
