// Jest transform: erases TypeScript types exactly as Node does when it runs src/*.ts
// (node:module stripTypeScriptTypes), so tests and production execute the same JavaScript.
import { stripTypeScriptTypes } from 'node:module';

export default {
  process(source, path) {
    if (!path.endsWith('.ts')) return { code: source };
    return { code: stripTypeScriptTypes(source, { mode: 'strip', sourceUrl: path }) };
  },
};
