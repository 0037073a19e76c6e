/**
 * The SDK's shapes as JSON 1.1 carries them: timestamps are epoch seconds where the SDK has Dates,
 * and an output has no `$metadata` (the SDK adds it from the HTTP answer). The operations are typed
 * with `Wire<XCommandInput>` and `Wire<XCommandOutput>`, so a field or enum value the SDK does not
 * model fails the type-check.
 */
export type Wire<T> = T extends Date
  ? number
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T as K extends '$metadata' ? never : K]: Wire<T[K]> }
      : T;
