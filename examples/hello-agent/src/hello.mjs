// The example agent. It uses only what AgentSpace gives every run:
// AGENTSPACE_AGENT_ID / AGENTSPACE_RUN_ID, a HOME inside the agent's data
// directory (the one place it may write), and HELLO_NAME when you approved
// env:read:HELLO_NAME.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

const name = process.env.HELLO_NAME ?? 'world';
const run = process.env.AGENTSPACE_RUN_ID ?? 'no run id';
const notes = join(process.env.HOME ?? '.', 'hello-notes.txt');
let count = 0;

process.stdout.write(
	`hello, ${name}: ${process.env.AGENTSPACE_AGENT_ID ?? 'hello-agent'} started (${run})\n`,
);
const timer = setInterval(() => {
	count += 1;
	process.stdout.write(`hello #${count}\n`);
	appendFileSync(notes, `${new Date().toISOString()} hello #${count}\n`);
}, 1000);

process.on('SIGTERM', () => {
	clearInterval(timer);
	process.stdout.write(`goodbye after ${count} hellos\n`);
	process.exit(0);
});
