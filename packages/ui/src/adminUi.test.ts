import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { type ChangeActor, discoverAgents, getAgent, installAgent } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { generateAuthToken, isAgentSpaceError } from '@agentspace/core';
import {
	callDaemon,
	type DaemonConnection,
	daemonPaths,
	daemonServices,
	type RunningDaemon,
	runDaemon,
	type UiOpened,
} from '@agentspace/daemon';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import {
	createFixtureAgentRepo,
	createTempHome,
	fixtureAgentManifest,
	freePort,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionCookieName } from './security/requestGuards.js';
import { SECURITY_HEADERS } from './security/securityHeaders.js';
import type { SessionLimits } from './security/sessionStore.js';
import { createUiHost } from './uiHost.js';

const actor: ChangeActor = { type: 'human', id: 'tester' };
let agent: AgentScenario;
let db: AgentSpaceDb;
let daemon: RunningDaemon;
let connection: DaemonConnection;
let token: string;

/** A port unlikely to be taken, different per test file run. */
const PORT = await freePort(6);

async function startDaemon(sessionLimits?: SessionLimits): Promise<void> {
	daemon = await runDaemon({
		db,
		home: agent.home,
		token,
		services: daemonServices({
			env: { PATH: process.env.PATH },
			ui: (launcher) =>
				createUiHost({
					db,
					home: agent.home,
					launcher,
					authToken: token,
					owner: { type: 'human', id: 'owner' },
					env: { PATH: process.env.PATH },
					...(sessionLimits === undefined ? {} : { sessionLimits }),
				}),
		}),
	});
	connection = { socket: daemonPaths(agent.home).socket, token };
}

beforeEach(async () => {
	agent = await agentScenario({ label: 'ui', agent: { fixture: 'build' }, actor });
	db = agent.db;
	token = generateAuthToken();
	await startDaemon();
});
afterEach(async () => {
	await daemon.close(0);
	await agent.cleanup();
});

interface Reply {
	readonly status: number;
	readonly headers: IncomingHttpHeaders;
	readonly body: string;
}

/** A plain HTTP request, every header as given (fetch would not let a test set Host). */
function send(
	options: {
		method?: string;
		path: string;
		headers?: Record<string, string>;
		body?: string;
		port?: number;
		host?: string;
	} = { path: '/' },
): Promise<Reply> {
	const port = options.port ?? PORT;
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: options.host ?? '127.0.0.1',
				port,
				method: options.method ?? 'GET',
				path: options.path,
				headers: {
					host: `127.0.0.1:${port}`,
					...(options.body === undefined
						? {}
						: { 'content-type': 'application/x-www-form-urlencoded' }),
					...options.headers,
				},
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					body += chunk;
				});
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
			},
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

async function openUi(port = PORT): Promise<UiOpened> {
	return callDaemon(connection, 'ui', { port, actor });
}

/** Logs in through the link and returns the session cookie and the page's CSRF token. */
async function logIn(): Promise<{ cookie: string; csrf: string }> {
	const opened = await openUi();
	const login = await send({
		path: new URL(opened.loginUrl).pathname + new URL(opened.loginUrl).search,
	});
	expect(login.status).toBe(303);
	const setCookie = login.headers['set-cookie']?.[0] ?? '';
	const cookie = setCookie.split(';')[0] as string;
	const page = await send({ path: '/agents/echo-agent', headers: { cookie } });
	expect(page.status).toBe(200);
	const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
	if (csrf === undefined) throw new Error('no CSRF token on the page');
	return { cookie, csrf };
}

async function denials(): Promise<Record<string, unknown>[]> {
	const entries = await getAuditEvents(db, { type: 'security.denied' });
	return entries.map((e) => e.metadata as Record<string, unknown>);
}

const sameOrigin = { origin: `http://127.0.0.1:${PORT}` };
/** A same-origin form post with the session cookie, as the UI's own forms send it. */
function post(path: string, cookie: string, body: string): Promise<Reply> {
	return send({ method: 'POST', path, headers: { ...sameOrigin, cookie }, body });
}

/** The manifest the agent page shows (its hidden `manifestHash` field). */
const shownManifest = () => getAgent(db, 'echo-agent')?.manifestHash as string;
const enableBody = (csrf?: string) =>
	`${csrf === undefined ? '' : `_csrf=${encodeURIComponent(csrf)}&`}manifestHash=${shownManifest()}&approve=env%3Aread%3AECHO_GREETING`;

describe('admin UI: where it listens', () => {
	it('listens on 127.0.0.1 only, and says where', async () => {
		const opened = await openUi();
		expect(opened.url).toBe(`http://127.0.0.1:${PORT}/`);
		expect(opened.loginUrl).toMatch(
			new RegExp(`^http://127\\.0\\.0\\.1:${PORT}/login\\?token=[\\w-]{43}$`),
		);
		expect(opened.started).toBe(true);
		expect((await callDaemon(connection, 'status', {})).uiUrl).toBe(opened.url);
		const external = Object.values(networkInterfaces())
			.flat()
			.find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
		if (external !== undefined) {
			await expect(send({ path: '/login', host: external.address })).rejects.toMatchObject({
				code: 'ECONNREFUSED',
			});
		}
		const audit = await getAuditEvents(db, { type: 'ui.opened' });
		expect(audit[0]?.metadata).toEqual({ address: `127.0.0.1:${PORT}` });
	});

	it('moves to another port only once it listens there; a busy port leaves it where it was', async () => {
		await openUi();
		const blocker = createServer().listen(PORT + 1, '127.0.0.1');
		await new Promise((resolve) => blocker.once('listening', resolve));
		try {
			await expect(openUi(PORT + 1)).rejects.toMatchObject({ code: 'CONFLICT' });
			expect((await send({ path: '/login' })).status).toBe(200);
			expect((await callDaemon(connection, 'status', {})).uiUrl).toBe(`http://127.0.0.1:${PORT}/`);
		} finally {
			blocker.close();
		}
		const moved = await openUi(PORT + 2);
		expect(moved.started).toBe(true);
		expect((await send({ path: '/login', port: PORT + 2 })).status).toBe(200);
		await expect(send({ path: '/login' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
		expect((await getAuditEvents(db, { type: 'ui.closed' }))[0]?.metadata).toEqual({
			address: `127.0.0.1:${PORT}`,
		});
	});

	it('does not keep a listener it could not put on record', async () => {
		const otherDb = openDb({ path: join(agent.home, 'other.db') });
		const host = createUiHost({
			db: otherDb,
			home: agent.home,
			launcher: {
				run: () => Promise.reject(),
				stop: () => Promise.reject(),
				stopAll: () => Promise.reject(),
				supervised: () => undefined,
				list: () => [],
			},
			authToken: token,
			owner: actor,
			env: {},
		});
		closeDb(otherDb);
		await expect(host.open(PORT + 5, actor)).rejects.toThrow();
		expect(host.url()).toBeNull();
		const probe = createServer().listen(PORT + 5, '127.0.0.1');
		await new Promise((resolve, reject) => {
			probe.once('listening', resolve);
			probe.once('error', reject);
		});
		probe.close();
	});

	it('opens and closes one at a time: concurrent opens leave one listener, which close stops', async () => {
		const opened = await Promise.all([openUi(PORT), openUi(PORT + 3), openUi(PORT)]);
		expect(opened.map((o) => o.port)).toEqual([PORT, PORT + 3, PORT]);
		expect(await callDaemon(connection, 'uiClose', { actor })).toEqual({ closed: true });
		for (const port of [PORT, PORT + 3]) {
			await expect(send({ path: '/login', port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
		}
	});

	it('refuses a port in use with what to do, and serves on the next one asked', async () => {
		await openUi();
		const other = await startOtherDaemonOnSamePort();
		expect(other).toMatchObject({ code: 'CONFLICT' });
		expect(String(other.message)).toMatch(/already in use/);
	});

	it('sends the security headers on every response, refusals included, and never a CORS header', async () => {
		await openUi();
		for (const reply of [
			await send({ path: '/login' }),
			await send({ path: '/' }),
			await send({ path: '/ui.css' }),
			await send({ path: '/login', headers: { host: 'evil.example:80' } }),
			await send({
				method: 'POST',
				path: '/agents/echo-agent/enable',
				headers: sameOrigin,
				body: '',
			}),
		]) {
			for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
				expect(reply.headers[name.toLowerCase()]).toBe(value);
			}
			expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
		}
		const csp = SECURITY_HEADERS['Content-Security-Policy'];
		expect(csp).toMatch(/default-src 'self'/);
		expect(csp).toMatch(/frame-ancestors 'none'/);
		expect(SECURITY_HEADERS['X-Frame-Options']).toBe('DENY');
		expect(SECURITY_HEADERS['Referrer-Policy']).toBe('no-referrer');
	});
});

/** A second home's daemon asking for the same port. */
async function startOtherDaemonOnSamePort(): Promise<{ code?: string; message?: string }> {
	const otherHome = createTempHome('ui-other');
	const otherDb = openDb({ path: join(otherHome.home, 'agentspace.db') });
	const otherToken = generateAuthToken();
	const other = await runDaemon({
		db: otherDb,
		home: otherHome.home,
		token: otherToken,
		services: daemonServices({
			env: {},
			ui: (launcher) =>
				createUiHost({
					db: otherDb,
					home: otherHome.home,
					launcher,
					authToken: otherToken,
					owner: actor,
					env: {},
				}),
		}),
	});
	try {
		await callDaemon({ socket: daemonPaths(otherHome.home).socket, token: otherToken }, 'ui', {
			port: PORT,
			actor,
		});
		return {};
	} catch (error) {
		return isAgentSpaceError(error)
			? { code: error.code, message: error.message }
			: { message: String(error) };
	} finally {
		await other.close(0);
		closeDb(otherDb);
		otherHome.cleanup();
	}
}

describe('admin UI: login and sessions', () => {
	it('logs in once through the link: HttpOnly, SameSite=Strict cookie; the link does not work twice', async () => {
		const opened = await openUi();
		const path = new URL(opened.loginUrl).pathname + new URL(opened.loginUrl).search;
		const first = await send({ path });
		expect(first.status).toBe(303);
		expect(first.headers.location).toBe('/');
		const cookie = first.headers['set-cookie']?.[0] ?? '';
		expect(cookie).toMatch(new RegExp(`^${sessionCookieName(PORT)}=[\\w-]{43};`));
		expect(cookie).toMatch(/; HttpOnly/);
		expect(cookie).toMatch(/; SameSite=Strict/);
		expect(cookie).toMatch(/; Max-Age=28800/);
		const again = await send({ path });
		expect(again.status).toBe(403);
		expect(again.headers['set-cookie']).toBeUndefined();
		expect(await denials()).toContainEqual(
			expect.objectContaining({
				reason: 'login with an invalid, used or expired token (login link)',
				path: '/login',
			}),
		);
		const started = await getAuditEvents(db, { type: 'ui.session_started' });
		expect(started).toHaveLength(1);
		expect(started[0]?.actor).toEqual({ type: 'human', id: 'tester' });
		// The token itself is in no audit entry.
		const all = JSON.stringify(await getAuditEvents(db, {}));
		expect(all).not.toContain(new URL(opened.loginUrl).searchParams.get('token'));
	});

	it('logs in with the pasted home auth token (as the owner), refuses a wrong one', async () => {
		await openUi();
		const wrong = await send({
			method: 'POST',
			path: '/login',
			headers: sameOrigin,
			body: 'token=nope',
		});
		expect(wrong.status).toBe(403);
		const right = await send({
			method: 'POST',
			path: '/login',
			headers: sameOrigin,
			body: `token=${encodeURIComponent(token)}`,
		});
		expect(right.status).toBe(303);
		const started = await getAuditEvents(db, { type: 'ui.session_started' });
		expect(started[0]?.actor).toEqual({ type: 'human', id: 'owner' });
		expect(JSON.stringify(await getAuditEvents(db, {}))).not.toContain(token);
	});

	it('ends a session after its idle time, and on logout', async () => {
		await daemon.close(0);
		// An idle time long enough that the request right after the login is
		// within it on a loaded machine (300 ms was not, once, in CI's Node 24 leg).
		await startDaemon({ loginTokenMs: 60_000, idleMs: 2000, absoluteMs: 60_000 });
		const { cookie, csrf } = await logIn();
		expect((await send({ path: '/', headers: { cookie } })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 2300));
		const expired = await send({ path: '/', headers: { cookie } });
		expect(expired.status).toBe(303);
		expect(expired.headers.location).toBe('/login');
		expect(await denials()).toContainEqual(
			expect.objectContaining({ reason: 'expired or unknown session' }),
		);

		const second = await logIn();
		const out = await send({
			method: 'POST',
			path: '/logout',
			headers: { ...sameOrigin, cookie: second.cookie },
			body: `_csrf=${second.csrf}`,
		});
		expect(out.status).toBe(303);
		expect((await send({ path: '/', headers: { cookie: second.cookie } })).status).toBe(303);
		expect(await getAuditEvents(db, { type: 'ui.session_ended' })).toHaveLength(1);
		void csrf;
	});

	it('does not use up a login link on HEAD (link previews), and ends the older session on a new login', async () => {
		const opened = await openUi();
		const path = new URL(opened.loginUrl).pathname + new URL(opened.loginUrl).search;
		const head = await send({ method: 'HEAD', path });
		expect(head.status).toBe(200);
		expect(head.headers['set-cookie']).toBeUndefined();
		const first = await send({ path });
		expect(first.status).toBe(303);
		const older = (first.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
		const again = await openUi();
		const second = await send({
			path: new URL(again.loginUrl).pathname + new URL(again.loginUrl).search,
			headers: { cookie: older },
		});
		expect(second.status).toBe(303);
		expect((await send({ path: '/', headers: { cookie: older } })).status).toBe(303);
	});

	it('folds a flood of one kind of refusal into counted entries, whatever headers vary', async () => {
		await openUi();
		for (let i = 0; i < 20; i++) expect((await send({ path: `/x${i}` })).status).toBe(303);
		// A wildcard DNS name per request: one kind (a wrong Host), however many names.
		for (let i = 0; i < 10; i++) {
			const reply = await send({ path: '/', headers: { host: `r${i}.evil.example:${PORT}` } });
			expect(reply.status).toBe(403);
		}
		const noSession = () => denials().then((all) => all.filter((d) => d.kind === 'no-session'));
		const host = () => denials().then((all) => all.filter((d) => d.kind === 'host'));
		expect(await noSession()).toHaveLength(1);
		expect(await host()).toHaveLength(1);
		expect(await callDaemon(connection, 'uiClose', { actor })).toEqual({ closed: true });
		expect(await noSession()).toHaveLength(2);
		expect((await noSession())[0]).toMatchObject({
			method: 'GET',
			foldedBefore: 19,
			address: `127.0.0.1:${PORT}`,
		});
		expect((await host())[0]).toMatchObject({ foldedBefore: 9 });
	});

	it('refuses a body that is not a form (audited), rather than failing', async () => {
		const { cookie } = await logIn();
		for (const path of ['/login', '/agents/echo-agent/enable']) {
			for (const type of ['multipart/form-data; boundary=zzz', 'text/plain', 'application/json']) {
				const reply = await send({
					method: 'POST',
					path,
					headers: { ...sameOrigin, cookie, 'content-type': type },
					body: 'garbage',
				});
				expect(reply.status, `${path} ${type}`).toBe(400);
			}
		}
		expect(await denials()).toContainEqual(
			expect.objectContaining({ reason: 'malformed form body', path: '/login' }),
		);
	});

	it('ends every session when the UI is closed', async () => {
		const { cookie } = await logIn();
		expect(await callDaemon(connection, 'uiClose', { actor })).toEqual({ closed: true });
		await openUi();
		expect((await send({ path: '/', headers: { cookie } })).status).toBe(303);
		expect(await getAuditEvents(db, { type: 'ui.closed' })).toHaveLength(1);
	});
});

describe('admin UI: refused requests change nothing and are audited', () => {
	async function expectRefused(reply: Reply, status: number, reason: RegExp): Promise<void> {
		expect(reply.status).toBe(status);
		const found = (await denials()).find((d) => reason.test(String(d.reason)));
		expect(found, `a security.denied entry matching ${reason}`).toMatchObject({
			interface: 'web-ui',
		});
		// Nothing happened to the agent: not enabled, no event beyond the install.
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toBeNull();
		expect((await queryEvents(db, { types: ['agent_enabled'] })).length).toBe(0);
	}

	it('a POST without a CSRF token', async () => {
		const { cookie } = await logIn();
		await expectRefused(
			await post('/agents/echo-agent/enable', cookie, enableBody()),
			403,
			/^missing CSRF token$/,
		);
	});

	it('a POST with a wrong CSRF token', async () => {
		const { cookie } = await logIn();
		await expectRefused(
			await post('/agents/echo-agent/enable', cookie, enableBody('forged')),
			403,
			/^wrong CSRF token$/,
		);
	});

	it('a POST from a foreign Origin, even with the session and its CSRF token', async () => {
		const { cookie, csrf } = await logIn();
		await expectRefused(
			await send({
				method: 'POST',
				path: '/agents/echo-agent/enable',
				headers: { origin: 'https://evil.example', cookie },
				body: enableBody(csrf),
			}),
			403,
			/^foreign Origin "https:\/\/evil\.example"$/,
		);
	});

	it('a POST a browser marks cross-site, or that says nothing of where it comes from', async () => {
		const { cookie, csrf } = await logIn();
		await expectRefused(
			await send({
				method: 'POST',
				path: '/agents/echo-agent/enable',
				headers: { origin: 'null', 'sec-fetch-site': 'cross-site', cookie },
				body: enableBody(csrf),
			}),
			403,
			/^cross-origin request \(Sec-Fetch-Site: cross-site\)$/,
		);
		await expectRefused(
			await send({
				method: 'POST',
				path: '/agents/echo-agent/enable',
				headers: { cookie },
				body: enableBody(csrf),
			}),
			403,
			/^no Origin, Referer or Sec-Fetch-Site header/,
		);
	});

	it('a request with a wrong Host (DNS rebinding), even with the session and its CSRF token', async () => {
		const { cookie, csrf } = await logIn();
		await expectRefused(
			await send({
				method: 'POST',
				path: '/agents/echo-agent/enable',
				headers: {
					host: `rebound.example:${PORT}`,
					origin: `http://rebound.example:${PORT}`,
					cookie,
				},
				body: enableBody(csrf),
			}),
			403,
			/^wrong Host header \("rebound\.example:\d+"/,
		);
		const page = await send({ path: '/', headers: { host: `attacker.example:${PORT}`, cookie } });
		expect(page.status).toBe(403);
		expect(page.body).not.toContain('echo-agent');
	});

	it('a POST without a session', async () => {
		await openUi();
		await expectRefused(
			await send({
				method: 'POST',
				path: '/agents/echo-agent/enable',
				headers: sameOrigin,
				body: enableBody('anything'),
			}),
			401,
			/^no session$/,
		);
	});

	it('a page without a session goes to the login page (audited), and shows nothing', async () => {
		await openUi();
		const reply = await send({ path: '/agents/echo-agent' });
		expect(reply.status).toBe(303);
		expect(reply.headers.location).toBe('/login');
		expect(reply.body).not.toContain('echo-agent');
		expect(await denials()).toContainEqual(
			expect.objectContaining({ reason: 'no session', method: 'GET' }),
		);
	});
});

describe('admin UI: actions', () => {
	it('enables with exactly the ticked permissions, through the library (event + audit as the session user)', async () => {
		const { cookie, csrf } = await logIn();
		const reply = await post('/agents/echo-agent/enable', cookie, enableBody(csrf));
		expect(reply.status).toBe(303);
		expect(reply.headers.location).toBe('/agents/echo-agent');
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toEqual(['env:read:ECHO_GREETING']);
		const enabled = await getAuditEvents(db, { type: 'agents.enabled' });
		expect(enabled[0]).toMatchObject({
			actor: { type: 'human', id: 'tester' },
			sourceApp: 'agentspace-ui',
		});
		const page = await send({ path: '/agents/echo-agent', headers: { cookie } });
		expect(page.body).toContain('Enabled echo-agent with 1 of 3 requested permissions approved.');
	});

	it('shows a library refusal with its hint and changes nothing (a permission it does not request)', async () => {
		const { cookie, csrf } = await logIn();
		await post(
			'/agents/echo-agent/enable',
			cookie,
			`_csrf=${encodeURIComponent(csrf)}&manifestHash=${shownManifest()}&approve=filesystem%3Awrite%3A%2F`,
		);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toBeNull();
		const page = await send({ path: '/agents/echo-agent', headers: { cookie } });
		expect(page.body).toMatch(/class="flash error"/);
		expect(page.body).toContain('filesystem:write:/');
	});

	it('shows control characters in a flash message as escapes, never raw', async () => {
		const { cookie, csrf } = await logIn();
		// A permission with a terminal escape and a newline, quoted back by the library's refusal.
		await post(
			'/agents/echo-agent/enable',
			cookie,
			`_csrf=${encodeURIComponent(csrf)}&manifestHash=${shownManifest()}&approve=${encodeURIComponent('env:read:X\u001b[2J\nY')}`,
		);
		const page = await send({ path: '/agents/echo-agent', headers: { cookie } });
		const flash = /<div class="flash error"[^>]*>([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
		expect(flash).toContain('env:read:X\\u{1b}[2J');
		// Line breaks are kept (the library's messages have them); nothing else.
		// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them.
		expect(flash).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
	});

	it('shows drift: a changed manifest after approval, with both hashes, until approved again', async () => {
		const { cookie, csrf } = await logIn();
		await post('/agents/echo-agent/enable', cookie, enableBody(csrf));
		expect((await send({ path: '/agents/echo-agent', headers: { cookie } })).body).not.toContain(
			'id="drift"',
		);
		agent.repo.commit(
			{
				'agentspace.agent.json': {
					...fixtureAgentManifest(),
					permissions: ['env:read:ECHO_GREETING', 'network:egress:evil.example:443'],
				},
			},
			'asks for more',
		);
		await installAgent({ db, home: agent.home, source: agent.repo.url, actor });
		const page = await send({ path: '/agents/echo-agent', headers: { cookie } });
		expect(page.body).toContain('id="drift"');
		expect(page.body).toContain(getAgent(db, 'echo-agent')?.manifestHash.slice(0, 12));
		expect(page.body).toContain('drifted: re-approve');
		expect(page.body).toContain('network:egress:evil.example:443');
		// Not runnable while drifted: no run button.
		expect(page.body).not.toContain('data-action="run"');
		const list = await send({ path: '/', headers: { cookie } });
		expect(list.body).toContain('drifted: re-approve');
	});

	it('refuses an oversized body (audited) and answers an unknown agent with 404', async () => {
		const { cookie, csrf } = await logIn();
		const big = await post(
			'/agents/echo-agent/enable',
			cookie,
			`_csrf=${csrf}&approve=${'x'.repeat(70_000)}`,
		);
		expect(big.status).toBe(413);
		expect(await denials()).toContainEqual(
			expect.objectContaining({ reason: 'request body over 65536 bytes' }),
		);
		expect((await send({ path: '/agents/nope', headers: { cookie } })).status).toBe(404);
		const action = await post('/agents/echo-agent/explode', cookie, `_csrf=${csrf}`);
		expect(action.status).toBe(404);
	});

	it('shows "no build" for an agent without build steps and "not built" for one with them, as the CLI does', async () => {
		const plain = createFixtureAgentRepo({ id: 'plain', name: 'Plain', build: undefined });
		try {
			await installAgent({ db, home: agent.home, source: plain.url, actor });
			const { cookie } = await logIn();
			const page = async (path: string) => (await send({ path, headers: { cookie } })).body;
			expect(await page('/agents/plain')).toContain('<span class="badge idle">no build</span>');
			expect(await page('/agents/echo-agent')).toContain(
				'<span class="badge idle">not built</span>',
			);
			const list = await page('/');
			expect(list).toContain('<span class="badge idle">no build</span>');
			expect(list).toContain('<span class="badge idle">not built</span>');
		} finally {
			plain.cleanup();
		}
	});

	it('installs a discovered agent and revokes an approval, through the library', async () => {
		const fresh = createFixtureAgentRepo({ id: 'found-agent', name: 'Found agent' });
		try {
			await discoverAgents({ db, home: agent.home, roots: [fresh.path], actor });
			expect(getAgent(db, 'found-agent')?.installPath).toBeNull();
			const { cookie, csrf } = await logIn();
			const before = await send({ path: '/agents/found-agent', headers: { cookie } });
			expect(before.body).toContain('data-action="install"');
			await post('/agents/found-agent/install', cookie, `_csrf=${csrf}`);
			expect(getAgent(db, 'found-agent')?.installPath).not.toBeNull();
			const after = await send({ path: '/agents/found-agent', headers: { cookie } });
			expect(after.body).toMatch(/Installed found-agent 1\.0\.0 at commit [0-9a-f]{12}\./);

			await post('/agents/echo-agent/enable', cookie, enableBody(csrf));
			await post('/agents/echo-agent/revoke', cookie, `_csrf=${csrf}`);
			expect(getAgent(db, 'echo-agent')?.approvedPermissions).toBeNull();
			const revoked = await getAuditEvents(db, { type: 'agents.revoked' });
			expect(revoked[0]).toMatchObject({ actor, sourceApp: 'agentspace-ui' });
		} finally {
			fresh.cleanup();
		}
	});

	it('filters the audit log by type, subject and time, newest first, under the chain verification', async () => {
		const { cookie } = await logIn();
		const page = async (query: string) =>
			(await send({ path: `/audit?${query}`, headers: { cookie } })).body;
		const types = (body: string) =>
			[...body.matchAll(/data-audit-type="([^"]+)"/g)].map((m) => m[1]);
		const all = await page('');
		expect(all).toMatch(/Chain verified: all \d+ entries check out/);
		// Newest first: the login after the install.
		expect(types(all).indexOf('ui.session_started')).toBeLessThan(
			types(all).indexOf('agents.installed'),
		);
		expect(types(await page('type=agents.installed'))).toEqual(['agents.installed']);
		expect(new Set(types(await page('subject=agent%3Aecho-agent')))).toEqual(
			new Set(['agents.installed']),
		);
		expect(types(await page('since=2999-01-01'))).toEqual([]);
		expect(types(await page('until=2000-01-01'))).toEqual([]);
		expect(types(await page('type=agents.installed&since=2000-01-01'))).toEqual([
			'agents.installed',
		]);
		const bad = await page('since=yesterday-ish');
		expect(bad).toMatch(/class="flash error"/);
	});

	it('approves nothing for a manifest the page did not show, and installs only catalogue agents', async () => {
		const { cookie, csrf } = await logIn();
		const stale = await post(
			'/agents/echo-agent/enable',
			cookie,
			`_csrf=${csrf}&manifestHash=${'0'.repeat(64)}&approve=env%3Aread%3AECHO_GREETING`,
		);
		expect(stale.status).toBe(303);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toBeNull();
		expect((await send({ path: '/agents/echo-agent', headers: { cookie } })).body).toContain(
			'changed since you reviewed its permissions',
		);
		const unnamed = await post(
			'/agents/echo-agent/enable',
			cookie,
			`_csrf=${csrf}&approve=env%3Aread%3AECHO_GREETING`,
		);
		expect(unnamed.status).toBe(303);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toBeNull();

		const viaUrl = await post(
			`/agents/${encodeURIComponent(agent.repo.url)}/install`,
			cookie,
			`_csrf=${csrf}`,
		);
		expect(viaUrl.status).toBe(303);
		expect(viaUrl.headers.location).toBe('/');
		expect((await getAuditEvents(db, { type: 'agents.installed' })).length).toBe(1);
	});

	it('escapes what an agent controls: its manifest strings are text, not markup', async () => {
		agent.repo.commit(
			{ 'agentspace.agent.json': { ...fixtureAgentManifest(), name: '<script>alert(1)</script>' } },
			'a hostile name',
		);
		await installAgent({ db, home: agent.home, source: agent.repo.url, actor });
		const { cookie } = await logIn();
		const list = await send({ path: '/', headers: { cookie } });
		expect(list.body).not.toContain('<script>');
		expect(list.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	});
});
