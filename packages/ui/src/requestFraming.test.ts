import { connect } from 'node:net';
import { type ChangeActor, getAgent } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import type { HostedUi } from '@agentspace/daemon';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { freePort } from '@agentspace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from './security/securityHeaders.js';
import { createUiHost } from './uiHost.js';

/**
 * Every route × method × body framing, over a raw socket (so the framing is
 * exactly what the table says): no answer is a 5xx, each refusal is the one
 * specs/admin-ui.md names and is accounted for in the audit log, and a valid
 * chunked form post runs its action.
 */

const actor: ChangeActor = { type: 'human', id: 'tester' };
const PORT = await freePort();
const HOST = `127.0.0.1:${PORT}`;
let agent: AgentScenario;
let db: AgentSpaceDb;
let ui: HostedUi;
let authToken: string;

beforeAll(async () => {
	agent = await agentScenario({ label: 'ui-framing', agent: { fixture: 'build' }, actor });
	db = agent.db;
	authToken = generateAuthToken();
	ui = createUiHost({
		db,
		home: agent.home,
		launcher: {
			run: () => Promise.reject(),
			stop: () => Promise.reject(),
			stopAll: () => Promise.reject(),
			supervised: () => undefined,
			list: () => [],
		},
		authToken,
		owner: actor,
		env: { PATH: process.env.PATH },
	});
	await ui.open(PORT, actor);
});
afterAll(async () => {
	await ui.close(actor);
	await agent.cleanup();
});

interface RawReply {
	readonly status: number;
	readonly headers: Record<string, string>;
	readonly body: string;
}

/** Sends bytes as they are and reads the answer until the server closes. */
function sendRaw(request: string): Promise<RawReply> {
	return new Promise((resolve, reject) => {
		const socket = connect(PORT, '127.0.0.1');
		let data = '';
		socket.setEncoding('latin1');
		socket.on('data', (chunk: string) => {
			data += chunk;
		});
		socket.on('error', reject);
		socket.on('close', () => {
			const [head = '', ...rest] = data.split('\r\n\r\n');
			const [statusLine = '', ...lines] = head.split('\r\n');
			const headers: Record<string, string> = {};
			for (const line of lines) {
				const colon = line.indexOf(':');
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
			}
			resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
		});
		socket.end(request, 'latin1');
	});
}

/** One request: the head lines, then `body` exactly as given (already framed). */
function request(
	method: string,
	path: string,
	headers: Record<string, string>,
	body = '',
): Promise<RawReply> {
	const lines = [`${method} ${path} HTTP/1.1`, `Host: ${HOST}`, 'Connection: close'];
	for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
	return sendRaw(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** A body in chunked transfer encoding (several chunks, so it is really streamed). */
function chunked(body: string): string {
	const parts: string[] = [];
	for (let i = 0; i < body.length; i += 1000) {
		const part = body.slice(i, i + 1000);
		parts.push(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
	}
	return `${parts.join('')}0\r\n\r\n`;
}

const FORM = 'application/x-www-form-urlencoded';
const sameOrigin = { Origin: `http://${HOST}` };

/** A fresh session (the pasted auth token) and its CSRF token. */
async function logIn(): Promise<{ cookie: string; csrf: string }> {
	const body = `token=${encodeURIComponent(authToken)}`;
	const login = await request(
		'POST',
		'/login',
		{ ...sameOrigin, 'Content-Type': FORM, 'Content-Length': String(body.length) },
		body,
	);
	expect(login.status).toBe(303);
	const cookie = (login.headers['set-cookie'] ?? '').split(';')[0] as string;
	const page = await request('GET', '/agents/echo-agent', { Cookie: cookie });
	const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
	if (csrf === undefined) throw new Error('no CSRF token on the page');
	return { cookie, csrf };
}

/** Refusals made, by `kind|method`: each must be in the audit log, recorded or counted. */
const refusals = new Map<string, number>();
function refused(kind: string, method: string): void {
	const key = `${kind}|${method}`;
	refusals.set(key, (refusals.get(key) ?? 0) + 1);
}

type Framing =
	| 'none'
	| 'form-without-length'
	| 'empty'
	| 'chunked'
	| 'oversized'
	| 'oversized-chunked'
	| 'malformed';
const FRAMINGS: readonly Framing[] = [
	'none',
	'form-without-length',
	'empty',
	'chunked',
	'oversized',
	'oversized-chunked',
	'malformed',
];
const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const ROUTES = [
	'/',
	'/agents/echo-agent',
	'/agents/echo-agent/enable',
	'/agents/echo-agent/nope',
	'/agents/echo-agent/tools/deny',
	'/audit',
	'/login',
	'/logout',
	'/ui.css',
	'/not-a-page',
] as const;

/** What should come back: a refusal (status and audited kind), or the route's own answer. */
type Expected =
	| { readonly refused: true; readonly status: number; readonly kind: string }
	| { readonly refused: false; readonly status: number };

function expected(route: string, method: string, framing: Framing): Expected {
	const refuse = (status: number, kind: string): Expected => ({ refused: true, status, kind });
	if (framing === 'oversized' || framing === 'oversized-chunked')
		return refuse(413, 'body-too-large');
	if (framing === 'malformed') return refuse(400, 'malformed-body');
	if (framing === 'none') return refuse(400, 'malformed-body');
	const login = route === '/login' && method === 'POST';
	if (framing === 'empty' || framing === 'form-without-length') {
		return login ? refuse(403, 'login') : refuse(403, 'csrf');
	}
	// A valid chunked form: the guards let it through; the route answers.
	if (login) return { refused: false, status: 303 };
	// The login form carries no CSRF token: only POST /login goes without a session.
	if (route === '/login') return refuse(403, 'csrf');
	if (method !== 'POST') return { refused: false, status: 404 };
	if (
		route === '/agents/echo-agent/enable' ||
		route === '/agents/echo-agent/tools/deny' ||
		route === '/logout'
	) {
		return { refused: false, status: 303 };
	}
	return { refused: false, status: 404 };
}

/** The request for one case, with a live session and its token where the framing carries a form. */
function framed(
	framing: Framing,
	session: { cookie: string; csrf: string },
	route: string,
): { headers: Record<string, string>; body: string } {
	const base = { ...sameOrigin, Cookie: session.cookie };
	const form =
		route === '/login'
			? `token=${encodeURIComponent(authToken)}`
			: `_csrf=${encodeURIComponent(session.csrf)}&manifestHash=${getAgent(db, 'echo-agent')?.manifestHash}&approve=env%3Aread%3AECHO_GREETING`;
	const big = `${form}&pad=${'x'.repeat(70_000)}`;
	switch (framing) {
		case 'none':
			return { headers: base, body: '' };
		case 'form-without-length':
			// A form's type, but neither Content-Length nor Transfer-Encoding: an empty body.
			return { headers: { ...base, 'Content-Type': FORM }, body: '' };
		case 'empty':
			return { headers: { ...base, 'Content-Type': FORM, 'Content-Length': '0' }, body: '' };
		case 'chunked':
			return {
				headers: { ...base, 'Content-Type': FORM, 'Transfer-Encoding': 'chunked' },
				body: chunked(form),
			};
		case 'oversized':
			return {
				headers: { ...base, 'Content-Type': FORM, 'Content-Length': String(big.length) },
				body: big,
			};
		case 'oversized-chunked':
			return {
				headers: { ...base, 'Content-Type': FORM, 'Transfer-Encoding': 'chunked' },
				body: chunked(big),
			};
		case 'malformed':
			// A chunk size that is not hex, after a good first chunk.
			return {
				headers: { ...base, 'Content-Type': FORM, 'Transfer-Encoding': 'chunked' },
				body: `5\r\n_csrf\r\nzz\r\nnot a chunk\r\n0\r\n\r\n`,
			};
	}
}

describe('admin UI: every route, method and body framing', () => {
	const cases = ROUTES.flatMap((route) =>
		METHODS.flatMap((method) => FRAMINGS.map((framing) => ({ route, method, framing }))),
	);

	it.each(cases)('$method $route ($framing)', async ({ route, method, framing }) => {
		const session = await logIn();
		const { headers, body } = framed(framing, session, route);
		const reply = await request(method, route, headers, body);
		const want = expected(route, method, framing);
		expect(reply.status, reply.body.slice(0, 300)).toBe(want.status);
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			expect(reply.headers[name.toLowerCase()]).toBe(value);
		}
		if (want.refused) refused(want.kind, method);
	});

	it('a valid chunked form post runs its action', async () => {
		const session = await logIn();
		const { headers, body } = framed('chunked', session, '/agents/echo-agent/revoke');
		const enable = await request('POST', '/agents/echo-agent/enable', headers, body);
		expect(enable.status).toBe(303);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toEqual(['env:read:ECHO_GREETING']);
		const revoke = await request('POST', '/agents/echo-agent/revoke', headers, body);
		expect(revoke.status).toBe(303);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toBeNull();
	});
});

describe('admin UI: requests the HTTP layer cannot parse', () => {
	it.each([
		['a Host with credentials', 'a:1@b'],
		['a Host with a path', '127.0.0.1/x'],
		['a Host with a space', 'a b'],
		['no Host at all', null],
	])('%s is refused by the UI (403, audited, with its headers)', async (_what, host) => {
		const lines = ['GET / HTTP/1.0', 'Connection: close'];
		if (host !== null) lines.push(`Host: ${host}`);
		const reply = await sendRaw(`${lines.join('\r\n')}\r\n\r\n`);
		expect(reply.status).toBe(403);
		expect(reply.body).toContain('wrong Host header');
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			expect(reply.headers[name.toLowerCase()]).toBe(value);
		}
		refused('host', 'GET');
	});

	it('a request target the adapter cannot parse is refused 400 (audited, with its headers)', async () => {
		const reply = await sendRaw(`GET /a\\b HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
		expect(reply.status).toBe(400);
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			expect(reply.headers[name.toLowerCase()]).toBe(value);
		}
		refused('malformed-request', 'GET');
	});

	it('a request head Node cannot parse is answered 400 with the headers, and audited', async () => {
		const reply = await sendRaw(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nBad Header\r\n\r\n`);
		expect(reply.status).toBe(400);
		expect(reply.headers['x-frame-options']).toBe('DENY');
		refused('malformed-request', '-');
	});
});

describe('admin UI: refusals accounted for', () => {
	it('every refusal is in the audit log: recorded, or counted into an entry', async () => {
		// Closing the UI records the counts still folded.
		await ui.close(actor);
		const accounted = new Map<string, number>();
		for (const entry of await getAuditEvents(db, { type: 'security.denied', limit: 10_000 })) {
			const m = entry.metadata as { kind: string; method: string; foldedBefore?: number };
			if (m.kind === 'no-session' || m.kind === 'expired-session') continue;
			const folded =
				entry.metadata.reason === 'refusals folded into a count (see specs/admin-ui.md)';
			const key = `${m.kind}|${m.method}`;
			accounted.set(key, (accounted.get(key) ?? 0) + (folded ? 0 : 1) + (m.foldedBefore ?? 0));
		}
		expect(Object.fromEntries(accounted)).toEqual(Object.fromEntries(refusals));
		await ui.open(PORT, actor);
	});
});
