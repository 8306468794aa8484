/** Test helper shared by the DSL's test files. */
import { MvbenchError } from '@mvbench/core';

/** the MvbenchError `fn` throws (any other exception, or none, fails the test) */
export const errorOf = (fn: () => unknown): MvbenchError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof MvbenchError) return e;
    throw e;
  }
  throw new Error('expected an error');
};
