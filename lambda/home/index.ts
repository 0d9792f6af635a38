/**
 * PLACEHOLDER so the home stack synthesizes on the split-stacks branch (NodejsFunction needs its
 * entry file to exist). The lead's real lambda/home/index.ts replaces this file on merge; deployed
 * as it is, every invocation fails loudly rather than pretending to notify.
 */
export const handler = async (): Promise<never> => {
  throw new Error('lambda/home/index.ts is a placeholder: the home function is not built on this branch');
};
