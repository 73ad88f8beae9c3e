// The second build step: copies src/fleet-agent.mjs to dist/ (a real agent
// would compile or bundle here). It runs only when you confirm `agents build`.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
copyFileSync('src/fleet-agent.mjs', 'dist/fleet-agent.mjs');
process.stdout.write('built dist/fleet-agent.mjs\n');
