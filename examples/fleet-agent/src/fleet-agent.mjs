// The fleet example agent: it coordinates with other agents through
// AgentSpace's fleet tools, over the channel the daemon gives it because its
// manifest requests tool:call:fleet/* (and you approved it). It registers as
// a pilot under its own agent id, reserves the files it is about to work on
// (or says who holds them), tells a peer, and prints what arrives in its
// inbox until it is stopped.
//
//   node fleet-agent.mjs [paths, comma-separated; default src/**] [peer's agent id]
import { connectAgentSpace } from '@agentspace/agent-sdk';

const me = process.env.AGENTSPACE_AGENT_ID ?? 'fleet-agent';
const [pathList = 'src/**', peer] = process.argv.slice(2);
const paths = pathList.split(',');

const client = await connectAgentSpace();
// Every fleet tool takes the acting pilot; an agent may act only as itself.
const call = (name, args = {}) =>
	client.callTool({ name: `fleet__${name}`, arguments: { callsign: me, ...args } });
const say = (line) => process.stdout.write(`${line}\n`);
const text = (result) => result.content?.find((part) => part.type === 'text')?.text ?? '';

await call('register');
const reserved = await call('reserve_files', { paths, reason: 'fleet example' });
if (reserved.isError) {
	const holders = (reserved.structuredContent?.conflicts ?? []).map((c) => c.holder);
	say(
		`not reserved: ${paths.join(', ')} is held by ${holders.join(', ') || '?'}: ${text(reserved)}`,
	);
} else {
	say(`reserved ${paths.join(', ')} until ${reserved.structuredContent?.expires_at}`);
}
if (peer !== undefined) {
	await call('send_message', {
		to: [peer],
		subject: reserved.isError ? `${me} is waiting for ${pathList}` : `${me} reserved ${pathList}`,
		body: reserved.isError ? 'tell me when you release it' : 'ask me before editing it',
	});
	say(`told ${peer}`);
}

const seen = new Set();
const readInbox = async () => {
	const inbox = await call('inbox');
	for (const message of inbox.structuredContent?.messages ?? []) {
		if (seen.has(message.message_id)) continue;
		seen.add(message.message_id);
		say(`message from ${message.from}: ${message.subject}`);
	}
};
await readInbox();
const timer = setInterval(
	() => readInbox().catch((error) => process.stderr.write(`${error.message}\n`)),
	2000,
);

process.on('SIGTERM', async () => {
	clearInterval(timer);
	// release_files takes reservation ids (none: all of this pilot's), not paths.
	const id = reserved.structuredContent?.reservation_id;
	if (!reserved.isError && id !== undefined)
		await call('release_files', { reservation_ids: [id] }).catch(() => {});
	await client.close();
	process.exit(0);
});
