import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import {
	type AgentSpaceError,
	AuthError,
	ConflictError,
	generateAuthToken,
	ValidationError,
} from '@agentspace/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { callDaemon, daemonCaller } from './daemonClient.js';
import type { DaemonService } from './daemonService.js';
import { method } from './methodTable.js';
import { type RunningDaemon, runDaemon } from './runDaemon.js';
import { daemonServices } from './services/daemonServices.js';

// The daemon's error round trip: what a handler throws reaches callDaemon as
// the same kind of error (the subclass of its code), with hint and issues —
// through a real daemon on a real socket, with one more service composed
// beside the CLI's two, as the next services will be.
let temp: TempHomeDb;
let daemon: RunningDaemon | undefined;
const token = generateAuthToken();
const actor = { type: 'human', id: 'tester' } as const;

const CHECK_METHODS = {
	check: method<{ readonly ok: true }>()(z.strictObject({ name: z.string() })),
};
const ISSUES = [
	{ path: 'name', message: 'must start with a letter' },
	{ path: 'name', message: 'at most 8 characters' },
];
/** A service whose one method refuses every name, naming each problem. */
const checkService: DaemonService<typeof CHECK_METHODS> = {
	name: 'check',
	methods: CHECK_METHODS,
	handlers: {
		check: async ({ name }) => {
			throw new ValidationError(`"${name}" is not a valid name`, {
				hint: 'pick another name',
				issues: ISSUES,
			});
		},
	},
	close: async () => ({}),
};
const callCheck = daemonCaller<typeof CHECK_METHODS>();

beforeEach(async () => {
	temp = openTempHomeDb('daemon-errors');
	daemon = await runDaemon({
		db: temp.db,
		home: temp.home,
		token,
		services: [...daemonServices({ env: process.env }), checkService],
	});
});
afterEach(async () => {
	await daemon?.close(0);
	await daemon?.closed;
	daemon = undefined;
	temp.cleanup();
});

it("rebuilds a handler's ValidationError on the client with its hint and every issue", async () => {
	const connection = { socket: daemon?.socket ?? '', token };
	const failure = await callCheck(connection, 'check', { name: '1-too-long-name' }).catch(
		(error: unknown) => error,
	);
	expect(failure).toBeInstanceOf(ValidationError);
	expect(failure).toMatchObject({
		code: 'VALIDATION_FAILED',
		message: '"1-too-long-name" is not a valid name',
		hint: 'pick another name',
		issues: ISSUES,
	});
});

it('names every field of a malformed request in the issues too', async () => {
	const connection = { socket: daemon?.socket ?? '', token };
	const failure = await callDaemon(connection, 'stop', {
		id: '',
		graceMs: -1,
		actor,
	}).catch((error: unknown) => error);
	expect(failure).toBeInstanceOf(ValidationError);
	expect((failure as AgentSpaceError).issues.map((issue) => issue.path)).toEqual([
		'params.id',
		'params.graceMs',
	]);
});

it('answers a wrong token with an AuthError on the client, and a refused `ui` with a ConflictError', async () => {
	const socket = daemon?.socket ?? '';
	await expect(
		callDaemon({ socket, token: generateAuthToken() }, 'status', {}),
	).rejects.toBeInstanceOf(AuthError);
	await expect(callDaemon({ socket, token }, 'ui', { port: 6767, actor })).rejects.toBeInstanceOf(
		ConflictError,
	);
});
