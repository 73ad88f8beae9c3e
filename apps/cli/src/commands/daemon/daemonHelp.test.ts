import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from '@agentspace/daemon';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../testCli.js';

// `daemon --help` describes what the daemon's socket does under a flood
// (packages/daemon/src/daemonServer.ts): its numbers are the server's,
// and only connections still waiting for their request are ever evicted.
describe('agentspace daemon --help', () => {
	const result = runCli(join(tmpdir(), 'agentspace-daemon-help-unused'), ['daemon', '--help']);
	const help = result.stdout.replace(/\s+/g, ' ');

	it('gives the request deadline and the connection cap the server uses', () => {
		expect(result.status).toBe(0);
		expect(help).toContain(
			`not sent its whole request within ${DEFAULT_REQUEST_TIMEOUT_MS / 1000} s is closed`,
		);
		expect(help).toContain(
			`At ${DEFAULT_MAX_CONNECTIONS} connections waiting for their request or being answered`,
		);
	});

	it('says only a connection still waiting for its request is evicted, oldest first, audited', () => {
		expect(help).toContain(
			'the oldest one still waiting for its request (idle or half-sent) is closed to make room, and audited as security.denied',
		);
		expect(help).toContain('a connection being answered is never closed early');
		expect(help).not.toMatch(/oldest idle/);
	});
});
