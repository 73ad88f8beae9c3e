import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	createGitRepo,
	createMcpFixtureAgentRepo,
	createTempHome,
	freePort,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';

/**
 * The admin UI in a real browser (Debian's chromium, driven by
 * playwright-core), against the real daemon, sandbox and SQLite file: the
 * lifecycle a person does in it, and a drive-by attack from another page.
 * Screenshots land in apps/cli/artifacts/.
 */
const CHROMIUM = process.env.AGENTSPACE_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));
const HELLO_AGENT = fileURLToPath(new URL('../../../../../examples/hello-agent', import.meta.url));
// In CI the browser is installed by .ci/run; only a developer machine without it skips.
const missing = !existsSync(CHROMIUM) && process.env.CI === undefined;
// PORT + 7 serves the drive-by page.
const PORT = await freePort(8);
const UI = `http://127.0.0.1:${PORT}`;

let temp: TempHome;
let repo: GitRepo;
let mcpRepo: GitRepo | undefined;
let browser: Browser;
let page: Page;
let loginUrl: string;
/** Who the UI acts as: the person who ran `agentspace ui` (the CLI's actor). */
const loggedIn = { type: 'human', id: userInfo().username };

function cli(args: readonly string[]) {
	const result = runCli(temp.home, args, { HELLO_NAME: 'Ada' });
	expect(result.status, `agentspace ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
	return result;
}

async function flash(): Promise<string> {
	return (await page.locator('.flash').first().textContent()) ?? '';
}

/** Clicks and waits for the page the click leads to (a form posts, then redirects). */
async function click(selector: string): Promise<void> {
	await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

describe.skipIf(missing)('agentspace ui in a real browser', () => {
	beforeAll(async () => {
		temp = createTempHome('ui-browser');
		repo = createGitRepo('hello-agent');
		cpSync(HELLO_AGENT, repo.path, { recursive: true });
		repo.commit({}, 'hello');
		cli(['agents', 'install', repo.url]);
		const opened = runCliJson<{ url: string; loginUrl: string }>(
			temp.home,
			['ui', '--port', String(PORT)],
			{ HELLO_NAME: 'Ada' },
		);
		expect(opened.status, opened.stderr).toBe(0);
		expect(opened.json.url).toBe(`${UI}/`);
		loginUrl = opened.json.loginUrl;
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			// Root in CI: chromium's own sandbox needs an unprivileged user.
			args: ['--no-sandbox'],
		});
		page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		mkdirSync(ARTIFACTS, { recursive: true });
	}, 60_000);

	afterAll(async () => {
		await browser?.close();
		if (temp !== undefined) runCli(temp.home, ['daemon', 'stop', '--timeout', '2']);
		repo?.cleanup();
		mcpRepo?.cleanup();
		temp?.cleanup();
	}, 60_000);

	it('prints a login URL that the human text shows too', () => {
		const text = cli(['ui', '--port', String(PORT)]).stdout;
		expect(text).toContain(`AgentSpace admin UI: ${UI}/`);
		expect(text).toMatch(new RegExp(`${UI}/login\\?token=[\\w-]{43}`));
	});

	it('keeps the login link out of the daemon log and the audit log', () => {
		const secret = new URL(loginUrl).searchParams.get('token') as string;
		expect(readFileSync(join(temp.home, 'logs', 'daemon.log'), 'utf8')).toContain(
			`web UI on ${UI}/`,
		);
		expect(readFileSync(join(temp.home, 'logs', 'daemon.log'), 'utf8')).not.toContain(secret);
		expect(cli(['audit', 'list', '--json']).stdout).not.toContain(secret);
	});

	it('logs in through the printed link and lists the agent', async () => {
		await page.goto(loginUrl);
		expect(page.url()).toBe(`${UI}/`);
		const row = page.locator('tr[data-agent="hello-agent"]');
		await expect.poll(() => row.count()).toBe(1);
		expect(await row.textContent()).toMatch(
			/Hello agent.*1\.0\.0.*installed.*not built.*not approved/,
		);
		// The link works once.
		const again = await browser.newPage();
		const reply = await again.goto(loginUrl);
		expect(reply?.status()).toBe(403);
		await again.close();
	});

	it('builds, enables with the chosen permissions, runs, shows log lines and audit entries, stops', async () => {
		await click('a[href="/agents/hello-agent"]');
		expect(await page.locator('h1').textContent()).toContain('Hello agent');
		expect(await page.locator('#build ol.steps').textContent()).toContain('node build.mjs');

		await click('button[data-action="build"]');
		expect(await flash()).toMatch(/^Built hello-agent in [\d.]+ s \(1 steps\)\./);

		// Deny by default: nothing is ticked; tick one of the two requested permissions.
		const boxes = page.locator('#enable input[name="approve"]');
		expect(await boxes.count()).toBe(2);
		for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false);
		await page.check('#enable input[value="env:read:HELLO_NAME"]');
		await click('button[data-action="enable"]');
		expect(await flash()).toBe('Enabled hello-agent with 1 of 2 requested permissions approved.');
		const info = runCliJson<{ approvedPermissions: string[] }>(temp.home, [
			'agents',
			'info',
			'hello-agent',
		]);
		expect(info.json.approvedPermissions).toEqual(['env:read:HELLO_NAME']);

		await click('button[data-action="run"]');
		expect(await flash()).toMatch(
			/^Started hello-agent: run \S+, pid \d+, sandboxed, restart no\./,
		);
		await expect
			.poll(
				async () => {
					await page.reload();
					return (await page.locator('#log').textContent()) ?? '';
				},
				{ timeout: 15_000, interval: 500 },
			)
			.toMatch(/hello, Ada: hello-agent started[\s\S]*hello #2/);
		const audit = (await page.locator('#agent-audit').textContent()) ?? '';
		for (const type of [
			'agents.installed',
			'agents.built',
			'agents.enabled',
			'agents.run_started',
		]) {
			expect(audit).toContain(type);
		}
		expect(await page.locator('#state').textContent()).toMatch(/running.*running since/);
		await page.screenshot({ path: join(ARTIFACTS, 'ui-agent.png'), fullPage: true });
		// The list while it runs: running since, restarts.
		await page.goto(`${UI}/`);
		expect(await page.locator('tr[data-agent="hello-agent"]').textContent()).toMatch(
			/running.*built.*approved 1\/2.*ago.*0/,
		);
		await page.screenshot({ path: join(ARTIFACTS, 'ui-agents.png'), fullPage: true });
		await page.goto(`${UI}/agents/hello-agent`);

		await click('button[data-action="stop"]');
		expect(await flash()).toMatch(/^Stopped hello-agent/);
		const status = runCliJson<{ agents: { id: string; status: string }[] }>(temp.home, [
			'agents',
			'status',
		]);
		expect(JSON.stringify(status.json)).toMatch(/"status":"stopped"/);
		// Recorded as stopped by the person logged in (the one who ran `agentspace ui`).
		const ended = runCliJson<{
			entries: { actor: { type: string; id: string }; metadata: { stopped: boolean } }[];
		}>(temp.home, ['audit', 'list', '--type', 'agents.run_ended']);
		expect(ended.json.entries).toHaveLength(1);
		const started = runCliJson<{ entries: { sourceApp: string }[] }>(temp.home, [
			'audit',
			'list',
			'--type',
			'agents.run_started',
		]);
		expect(started.json.entries[0]?.sourceApp).toBe('agentspace-ui');
		expect(ended.json.entries[0]).toMatchObject({ actor: loggedIn, metadata: { stopped: true } });
		await page.reload();
		expect(await page.locator('#log pre').textContent()).toMatch(/goodbye after \d+ hellos/);
	}, 90_000);

	it('shows the audit log newest first, filtered, with the chain verified', async () => {
		await page.goto(`${UI}/audit`);
		expect(await page.locator('#verification').textContent()).toMatch(
			/^Chain verified: all \d+ entries check out/,
		);
		const types = await page
			.locator('table.audit tbody tr')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-type')));
		expect(types.indexOf('agents.run_stopped')).toBeLessThan(types.indexOf('agents.installed'));
		await page.fill('input[name="type"]', 'agents.enabled');
		await click('form.filters button');
		expect(await page.locator('#audit-count').textContent()).toBe('1 entry');
	});

	it('a page on another origin cannot act through the logged-in browser, nor frame the UI', async () => {
		// The attacker's page: 127.0.0.1 on another port is "same-site", so the
		// SameSite=Strict cookie is sent — the same-origin check must stop it.
		const attacker: Server = createServer((_req, res) => {
			res.setHeader('content-type', 'text/html');
			res.end(`<iframe id="framed" src="${UI}/agents/hello-agent"></iframe>
<iframe name="sink"></iframe>
<form id="f" method="post" target="sink" action="${UI}/agents/hello-agent/revoke"><input name="_csrf" value="guess"></form>
<script>setTimeout(() => document.getElementById('f').submit(), 300)</script>`);
		});
		await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
		const address = attacker.address() as { port: number };
		try {
			const evil = await browser.newPage();
			const posted = evil.waitForResponse((r) => r.url().endsWith('/revoke'));
			await evil.goto(`http://127.0.0.1:${address.port}/`);
			expect((await posted).status()).toBe(403);
			// The framed UI never rendered: frame-ancestors 'none'.
			const frame = await (await evil.$('#framed'))?.contentFrame();
			expect(frame).toBeTruthy();
			const framedText = await frame
				?.locator('body')
				.textContent({ timeout: 2000 })
				.catch(() => 'not readable');
			expect(framedText).not.toContain('Hello agent');
			await evil.close();
		} finally {
			attacker.close();
		}
		const info = runCliJson<{ approvedPermissions: string[] | null }>(temp.home, [
			'agents',
			'info',
			'hello-agent',
		]);
		expect(info.json.approvedPermissions).toEqual(['env:read:HELLO_NAME']);
		const denied = runCliJson<{ entries: { metadata: { reason: string; path: string } }[] }>(
			temp.home,
			['audit', 'list', '--type', 'security.denied'],
		);
		expect(denied.json.entries.map((e) => e.metadata)).toContainEqual(
			expect.objectContaining({
				reason: 'cross-origin request (Sec-Fetch-Site: same-site)',
				path: '/agents/hello-agent/revoke',
			}),
		);
	}, 30_000);

	it("shows an MCP agent's tools, a drifted tool's diff and its calls; denies one, accepts the drifted one", async () => {
		// The fixture MCP agent, run sandboxed by the daemon: after its first call
		// it changes echo's description and says so (list_changed), so echo drifts.
		mcpRepo = createMcpFixtureAgentRepo({ args: ['--change-tools'] });
		cli(['agents', 'install', mcpRepo.url]);
		cli(['agents', 'enable', 'mcp-fixture', '--all']);
		cli(['agents', 'run', 'mcp-fixture']);
		const listed = () =>
			runCliJson<{ tools: { name: string; drifted: boolean; policy: string }[] }>(temp.home, [
				'tools',
				'list',
				'--agent',
				'mcp-fixture',
			]).json.tools;
		await expect.poll(() => listed().length, { timeout: 20_000, interval: 200 }).toBe(4);
		expect(cli(['tools', 'call', 'mcp-fixture/echo', '--arg', 'text=from the CLI']).stdout).toBe(
			'from the CLI\n',
		);
		await expect
			.poll(() => listed().find((tool) => tool.name === 'echo')?.drifted, { timeout: 20_000 })
			.toBe(true);

		await page.goto(`${UI}/agents/mcp-fixture`);
		const names = await page
			.locator('#tools tr[data-tool]')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tool')));
		expect(names).toEqual(['add', 'echo', 'fail', 'slow']);
		expect(await page.locator('#tools tr[data-tool="add"]').textContent()).toMatch(
			/read-only.*allow.*default of limited-control.*pinned/,
		);
		expect(await page.locator('#tools tr[data-tool="slow"]').textContent()).toMatch(
			/deny.*default of limited-control/,
		);
		expect(await page.locator('#tools tr[data-tool="echo"]').textContent()).toContain(
			'drifted: held back',
		);
		expect(await page.locator('[data-drift="echo"] .line.pinned').count()).toBeGreaterThan(0);
		expect(await page.locator('[data-drift="echo"] .line.offered').count()).toBeGreaterThan(0);
		expect(await page.locator('#tool-calls tr[data-call]').first().textContent()).toMatch(
			new RegExp(`user:${loggedIn.id}.*echo.*ok`),
		);
		await page.screenshot({ path: join(ARTIFACTS, 'ui-tools.png'), fullPage: true });

		await click('#tools tr[data-tool="add"] button[data-action="tool-deny"]');
		expect(await flash()).toBe('Denied mcp-fixture/add.');
		expect(
			await page.locator('#tools tr[data-tool="add"] [data-policy]').getAttribute('data-policy'),
		).toBe('deny');
		await click('[data-drift="echo"] button[data-action="tool-accept"]');
		expect(await flash()).toMatch(/^Accepted the new definition of mcp-fixture\/echo: pinned /);
		expect(await page.locator('[data-drift]').count()).toBe(0);
		expect(listed().find((tool) => tool.name === 'echo')?.drifted).toBe(false);
		expect(listed().find((tool) => tool.name === 'add')?.policy).toBe('deny');
		const accepted = runCliJson<{ entries: { actor: unknown; sourceApp: string }[] }>(temp.home, [
			'audit',
			'list',
			'--type',
			'tools.accepted',
		]);
		expect(accepted.json.entries[0]).toMatchObject({ actor: loggedIn, sourceApp: 'agentspace-ui' });
		cli(['agents', 'stop', 'mcp-fixture']);
	}, 90_000);
});

describe('agentspace ui: arguments and closing', () => {
	let home: TempHome;
	beforeAll(() => {
		home = createTempHome('ui-args');
	});
	afterAll(() => {
		runCli(home.home, ['daemon', 'stop']);
		home.cleanup();
	});

	it('refuses a bad --port or --close with --port, starting nothing', () => {
		for (const args of [
			['ui', '--port', 'abc'],
			['ui', '--port', '0'],
			['ui', '--port', '70000'],
			['ui', '--close', '--port', '7000'],
		]) {
			const result = runCli(home.home, args);
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stderr).toMatch(/^error\[USAGE\]: /);
			expect(result.stderr).toMatch(/hint: /);
		}
		expect(runCliJson(home.home, ['daemon', 'status']).json).toMatchObject({ running: false });
	});

	it('serves a home that does not exist yet (no doctor run), and closes nothing in one', () => {
		const fresh = join(home.home, 'not-yet');
		const closed = runCliJson(fresh, ['ui', '--close']);
		expect(closed.status, closed.stderr).toBe(0);
		expect(closed.json).toEqual({ closed: false });
		expect(existsSync(fresh)).toBe(false);
		const port = String(PORT + 7);
		try {
			const opened = runCliJson<{ url: string }>(fresh, ['ui', '--port', port]);
			expect(opened.status, opened.stderr).toBe(0);
			expect(opened.json.url).toBe(`http://127.0.0.1:${port}/`);
		} finally {
			runCli(fresh, ['daemon', 'stop']);
		}
	});

	it('closes nothing when nothing is open, and says so', () => {
		const result = runCliJson(home.home, ['ui', '--close']);
		expect(result.status).toBe(0);
		expect(result.json).toEqual({ closed: false });
	});

	it('has help with examples', () => {
		const help = runCli(home.home, ['ui', '--help']).stdout;
		expect(help).toMatch(/127\.0\.0\.1/);
		expect(help).toMatch(/Examples:\n {2}\$ agentspace ui /);
	});
});
