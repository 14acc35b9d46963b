// How long to wait before the nth retry (n from 1): doubling from `first`, never more than `max`. Pure.
export const doublingBackoff =
  (first: number, max: number) =>
  (attempt: number): number =>
    Math.min(max, first * 2 ** Math.min(Math.max(0, attempt - 1), 30));
