// Preloaded with --import: reports every @opentelemetry module the process resolves.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.includes('/node_modules/@opentelemetry/')) process.stderr.write(`opentelemetry-module-loaded ${resolved.url}\n`);
    return resolved;
  },
});
