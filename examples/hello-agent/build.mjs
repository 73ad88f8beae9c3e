// The build step: copies src/hello.mjs to dist/ (a real agent would compile
// or bundle here). It runs only when you confirm `agentspace agents build`.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
copyFileSync('src/hello.mjs', 'dist/hello.mjs');
process.stdout.write('built dist/hello.mjs\n');
