import type { Adapter, AdapterConstructor, AdapterFactory } from 'oidc-provider';

/** The store of one model, whether the adapter is a class or a factory (the engine takes both). */
export function openAdapter(adapter: AdapterConstructor | AdapterFactory, name: string): Adapter {
  return /^class\b/.test(Function.prototype.toString.call(adapter)) ? new (adapter as AdapterConstructor)(name) : (adapter as AdapterFactory)(name);
}
