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

/** The error a function that must throw threw; one that returns fails the test. */
export function thrownBy<E>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}`);
}
