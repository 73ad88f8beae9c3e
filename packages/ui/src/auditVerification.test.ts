import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { ChangeActor } from '@agentspace/agents';
import { generateAuthToken } from '@agentspace/core';
import type { HostedUi } from '@agentspace/daemon';
import { type AgentSpaceDb, closeDb, openDb, recordAuditEvent } from '@agentspace/db';
import { computeAuditHash } from '@agentspace/db/testing';
import { createTempHome, freePort, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUiHost } from './uiHost.js';

const actor: ChangeActor = { type: 'human', id: 'tester' };
const PORT = await freePort();
let temp: TempHome;
let db: AgentSpaceDb;
let ui: HostedUi;
let token: string;
let cookie: string;

function get(
	path: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: '127.0.0.1',
				port: PORT,
				path,
				// A fresh connection each time: each test's UI is a new server on the same port.
				agent: false,
				headers: { host: `127.0.0.1:${PORT}`, ...headers },
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					body += chunk;
				});
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			},
		);
		req.on('error', reject);
		req.end();
	});
}

/** The verification banner of the audit page, as text. */
async function banner(query = ''): Promise<string> {
	const { body } = await get(`/audit${query}`, { cookie });
	const html = /<div class="banner [^"]+" id="verification"[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1];
	if (html === undefined) throw new Error('no verification banner');
	return html.replace(/<[^>]+>/g, '');
}

const step = (n: number) => recordAuditEvent(db, { eventType: 'step', metadata: { n } });

/** History rewritten from row `from` on, every hash recomputed: the chain alone checks out. */
function rewriteFrom(from: number): void {
	const client = db.$client;
	client.exec('DROP TRIGGER audit_log_no_update;');
	const rows = client
		.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id')
		.all(from) as Record<string, string | number | null>[];
	let prevHash = (
		client.prepare('SELECT hash FROM audit_log WHERE id = ?').get(from - 1) as {
			hash: string;
		}
	).hash;
	for (const raw of rows) {
		const metadata = raw.id === from ? '{"forged":true}' : (raw.metadata as string);
		const hash = computeAuditHash({
			id: raw.id as number,
			ts: raw.ts as string,
			eventType: raw.event_type as string,
			actorType: raw.actor_type as string,
			actorId: raw.actor_id as string | null,
			subjectType: raw.subject_type as string | null,
			subjectId: raw.subject_id as string | null,
			correlationId: raw.correlation_id as string | null,
			causationId: raw.causation_id as string | null,
			severity: raw.severity as string,
			sourceApp: raw.source_app as string | null,
			sourceIp: raw.source_ip as string | null,
			metadata,
			prevHash,
		});
		client
			.prepare('UPDATE audit_log SET metadata = ?, prev_hash = ?, hash = ? WHERE id = ?')
			.run(metadata, prevHash, hash, raw.id);
		prevHash = hash;
	}
}

beforeEach(async () => {
	temp = createTempHome('ui-audit-verify');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
	for (let n = 1; n <= 5; n++) await step(n);
	token = generateAuthToken();
	ui = createUiHost({
		db,
		home: temp.home,
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
	const opened = await ui.open(PORT, actor);
	const login = new URL(opened.loginUrl);
	cookie = await new Promise<string>((resolve, reject) => {
		const req = httpRequest(
			{
				host: '127.0.0.1',
				port: PORT,
				path: login.pathname + login.search,
				agent: false,
				headers: { host: `127.0.0.1:${PORT}` },
			},
			(res) => {
				res.resume();
				resolve((res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string);
			},
		);
		req.on('error', reject);
		req.end();
	});
});
afterEach(async () => {
	await ui.close(actor);
	closeDb(db);
	temp.cleanup();
});

describe('the audit page verifies the chain incrementally', () => {
	it('walks the whole chain on the first load, then only the entries added since', async () => {
		// 5 steps, ui.opened, ui.session_started.
		expect(await banner()).toMatch(/all 7 entries check out \(verified in full;/);
		await step(6);
		await step(7);
		expect(await banner()).toMatch(
			/all 9 entries check out \(2 new since the last verification checked, and entry #7 re-checked;/,
		);
		expect(await banner()).toMatch(/all 9 entries check out \(0 new since/);
		expect(await banner('?verify=full')).toMatch(/all 9 entries check out \(verified in full;/);
	});

	it('catches the verified entries rewritten (hashes recomputed), on the next load and in full', async () => {
		await banner();
		rewriteFrom(3);
		const next = await banner();
		expect(next).toMatch(
			/^Chain broken at entry #7: row 7 is not the head verified before .*the log was rewritten at or before row 7\./,
		);
		// A full walk alone would pass the rewritten chain; it still requires the head verified before.
		expect(await banner('?verify=full')).toMatch(
			/^Chain broken at entry #7: row 7 is not the head that was kept/,
		);
		// And it stays caught: the failure does not make the UI forget what it verified.
		expect(await banner()).toMatch(/^Chain broken at entry #7/);
	});

	it('leaves an edit before the verified head that recomputes nothing to the full verification', async () => {
		await banner();
		db.$client.exec('DROP TRIGGER audit_log_no_update;');
		db.$client.exec(`UPDATE audit_log SET metadata = '{"n":99}' WHERE id = 2`);
		expect(await banner()).toMatch(/^Chain verified/);
		expect(await banner('?verify=full')).toMatch(
			/^Chain broken at entry #2: row 2 was modified: its content does not match its hash \(1 entries before it check out\)/,
		);
	});
});

describe('a database damaged under the running UI', () => {
	it('answers the audit page 503 naming the missing table (DB_DAMAGED), not 500', async () => {
		await banner();
		db.$client.exec('DROP TABLE audit_log');
		const { status, body } = await get('/audit', { cookie });
		expect(status).toBe(503);
		expect(body).toContain(
			'error[DB_DAMAGED]: the database is damaged: table audit_log is missing',
		);
		expect(body).toContain('AgentSpace never drops tables');
	});
});
