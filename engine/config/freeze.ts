// Resolved config is shared by every stage; freezing it turns an accidental write into a TypeError.

/** Freezes `value` and everything reachable from it; returns it typed as deeply readonly in spirit. */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value !== "object" || value === null || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  }
  return Object.freeze(value);
}
