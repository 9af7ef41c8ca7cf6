/**
 * Array methods for async callbacks that run one element after the other, in order, as the
 * synchronous callbacks they replace did (decision 021, step 4). `Promise.all(xs.map(async …))`
 * would interleave the callbacks' queries: inside one transaction, two elements' read-then-write
 * could then cross.
 */
export async function mapInOrder<T, U>(items: Iterable<T>, fn: (item: T, index: number) => Promise<U> | U): Promise<U[]> {
  const out: U[] = [];
  let index = 0;
  for (const item of items) out.push(await fn(item, index++));
  return out;
}

export async function flatMapInOrder<T, U>(items: Iterable<T>, fn: (item: T, index: number) => Promise<U | readonly U[]> | U | readonly U[]): Promise<U[]> {
  const out: U[] = [];
  let index = 0;
  for (const item of items) {
    const value = await fn(item, index++);
    if (Array.isArray(value)) out.push(...(value as U[]));
    else out.push(value as U);
  }
  return out;
}

export async function forEachInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<void> {
  let index = 0;
  for (const item of items) await fn(item, index++);
}

export async function filterInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<T[]> {
  const out: T[] = [];
  let index = 0;
  for (const item of items) if (await fn(item, index++)) out.push(item);
  return out;
}

export async function someInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<boolean> {
  let index = 0;
  for (const item of items) if (await fn(item, index++)) return true;
  return false;
}

export async function everyInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<boolean> {
  let index = 0;
  for (const item of items) if (!(await fn(item, index++))) return false;
  return true;
}

export async function findInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<T | undefined> {
  let index = 0;
  for (const item of items) if (await fn(item, index++)) return item;
  return undefined;
}
