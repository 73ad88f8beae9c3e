#!/usr/bin/env node
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

// Node 22+ can cache compiled code between runs, which shortens start-up; it
// must be on before the rest of the CLI loads. Node 20 has no such cache.
const nodeModule = load('node:module') as { enableCompileCache?: () => unknown };
nodeModule.enableCompileCache?.();

// `agentspace audit list | head`: the reader went away; that is not an error
// of ours, so exit quietly, keeping any exit code already decided.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
	throw error;
});

const { version } = load('../package.json') as { version: string };
const { main } = await import('./main.js');

process.exitCode = await main(process.argv, version);
