/** The error a call that must fail rejected with; a call that succeeds fails the test. */
export async function rejectionOf<E>(
  call: Promise<unknown>,
  type?: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await call;
  } catch (err) {
    if (type === undefined || err instanceof type) return err as E;
    throw err;
  }
  throw new Error('expected the call to fail');
}
