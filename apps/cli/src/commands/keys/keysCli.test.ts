// `agentspace keys` and `agentspace secrets` end to end: the built CLI on a
// real home (SQLite, the vault file: this machine has no Secret Service),
// values piped on stdin as a script would.
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { homePaths } from '@agentspace/core';
import { openDb, recordAuditEvent, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import { fingerprintOf } from '@agentspace/keys';
import { createTempHome, runNode, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, filesContaining, runCli, runCliJson } from '../../testCli.js';

const KEY = 'sk-ant-api03-K1TESTKEYvalue0123456789abcdef';
const KEY2 = 'sk-ant-api03-K1ROTATEDvalue9876543210fedcba';
const SECRET = 'ghp_K1SECRETvalue0123456789';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('cli-keys');
});
afterEach(() => temp.cleanup());

/** The CLI with `input` on its stdin (a pipe, as `printf %s "$KEY" | agentspace …`). */
const piped = (input: string, args: readonly string[]) =>
	runNode(CLI_BIN, ['--home', temp.home, ...args], { input, env: { NO_COLOR: '1' } });

interface KeysListed {
	keys: {
		provider: string;
		storage: string;
		storageLabel: string;
		baseUrl: string;
		fingerprint: string;
		lastUsedAt: string | null;
	}[];
}

describe('agentspace keys', () => {
	it('adds a key from stdin, lists it without the value, rotates and removes it', () => {
		const added = piped(`${KEY}\n`, ['keys', 'add', 'anthropic']);
		expect(added.stderr).toBe('');
		expect(added.status).toBe(0);
		expect(added.stdout).toMatch(
			/Added anthropic \(sha256:[0-9a-f]{12}\), stored in (keychain|file, not encrypted at rest)/,
		);
		const listed = runCliJson<KeysListed>(temp.home, ['keys', 'list']);
		expect(listed.json.keys).toEqual([
			expect.objectContaining({
				provider: 'anthropic',
				storage: 'file',
				storageLabel: 'file, not encrypted at rest',
				baseUrl: 'https://api.anthropic.com',
				lastUsedAt: null,
			}),
		]);
		const table = runCli(temp.home, ['keys', 'list'], { NO_COLOR: '1' });
		expect(table.stdout).toMatch(/PROVIDER +STORAGE +BASE URL +FINGERPRINT +ADDED +LAST USED/);
		expect(table.stdout).toMatch(
			/anthropic +file, not encrypted at rest +https:\/\/api\.anthropic\.com .* never/,
		);

		// A second add is refused; rotate replaces the key.
		const again = piped(KEY2, ['keys', 'add', 'anthropic']);
		expect(again.status).not.toBe(0);
		expect(again.stderr).toContain('error[CONFLICT]');
		expect(again.stderr).toContain('agentspace keys rotate anthropic');
		const rotated = piped(KEY2, ['keys', 'rotate', 'anthropic', '--json']);
		expect(rotated.status).toBe(0);
		expect(JSON.parse(rotated.stdout).fingerprint).not.toBe(listed.json.keys[0]?.fingerprint);

		const removed = runCli(temp.home, ['keys', 'remove', 'anthropic']);
		expect(removed.status).toBe(0);
		expect(runCliJson<KeysListed>(temp.home, ['keys', 'list']).json.keys).toEqual([]);
		expect(filesContaining(temp.home, KEY2)).toEqual([]);
		const audit = runCliJson<{ entries: { eventType: string; severity: string }[] }>(temp.home, [
			'audit',
			'list',
		]);
		expect(audit.json.entries.map((e) => e.eventType)).toEqual(
			expect.arrayContaining(['key_added', 'key_updated', 'key_removed']),
		);
	});

	it('refuses a key given as an argument, an empty key, a bad provider or base URL, storing nothing', () => {
		const argv = runCli(temp.home, ['keys', 'add', 'anthropic', KEY]);
		expect(argv.status).not.toBe(0);
		expect(argv.stderr).toContain(
			'error[VALIDATION_FAILED]: a key or secret is never taken as an argument',
		);
		expect(argv.stderr).toContain('printf %s "$KEY" | agentspace keys add anthropic');
		expect(argv.stderr).not.toContain(KEY);
		expect(piped('', ['keys', 'add', 'openai']).stderr).toContain('the key is empty');
		expect(piped(KEY, ['keys', 'add', 'gemini']).stderr).toContain(
			'error[VALIDATION_FAILED]: unknown provider "gemini"',
		);
		expect(piped(KEY, ['keys', 'add', 'openai-compatible:groq']).stderr).toContain(
			'needs a base URL',
		);
		expect(piped(KEY, ['keys', 'add', 'openai', '--base-url', 'file:///etc']).stderr).toContain(
			'invalid base URL',
		);
		const secretArgv = runCli(temp.home, ['secrets', 'set', 'GH_TOKEN', SECRET]);
		expect(secretArgv.stderr).toContain('never taken as an argument');
		expect(filesContaining(temp.home, KEY)).toEqual([]);
		expect(filesContaining(temp.home, SECRET)).toEqual([]);
		expect(statSync(join(temp.home, 'vault.json'), { throwIfNoEntry: false })).toBeUndefined();
	});

	it('adds ollama as a URL without reading a key, and openai-compatible with its base URL', () => {
		const ollama = runCli(temp.home, [
			'keys',
			'add',
			'ollama',
			'--base-url',
			'http://127.0.0.1:11434/',
		]);
		expect(ollama.status).toBe(0);
		const compatible = piped(KEY, [
			'keys',
			'add',
			'openai-compatible:groq',
			'--base-url',
			'https://api.groq.example/openai',
		]);
		expect(compatible.status).toBe(0);
		expect(
			runCliJson<KeysListed>(temp.home, ['keys', 'list']).json.keys.map((k) => [
				k.provider,
				k.baseUrl,
			]),
		).toEqual([
			['ollama', 'http://127.0.0.1:11434'],
			['openai-compatible:groq', 'https://api.groq.example/openai'],
		]);
		const moved = runCli(temp.home, [
			'keys',
			'rotate',
			'ollama',
			'--base-url',
			'http://10.0.0.5:11434',
		]);
		expect(moved.status).toBe(0);
	});

	it('mints, lists and revokes key tokens as mcp token does', () => {
		const minted = runCliJson<{ tokenId: string; token: string }>(temp.home, [
			'keys',
			'token',
			'--name',
			'nb',
			'--expires',
			'24h',
		]);
		expect(minted.json.token).toMatch(/^askey_[a-z0-9]{12}_[0-9a-f]{64}$/);
		expect(filesContaining(temp.home, minted.json.token.slice(-64))).toEqual([]);
		const listed = runCliJson<{ tokens: { tokenId: string; status: string }[] }>(temp.home, [
			'keys',
			'token',
			'list',
		]);
		expect(listed.json.tokens).toEqual([
			expect.objectContaining({ tokenId: minted.json.tokenId, status: 'active' }),
		]);
		expect(runCli(temp.home, ['keys', 'token', 'revoke', minted.json.tokenId]).status).toBe(0);
		expect(runCli(temp.home, ['keys', 'token', 'revoke', minted.json.tokenId]).stderr).toContain(
			'error[CONFLICT]',
		);
		expect(runCli(temp.home, ['keys', 'token', '--expires', '2y']).stderr).toContain(
			'invalid token lifetime',
		);
	});

	it('sets and lists limits for a known agent, and sums usage from key_accessed entries', () => {
		runCli(temp.home, ['doctor']);
		const db = openDb({ path: homePaths(temp.home).dbFile });
		withImmediateTransaction(db, (tx) =>
			appendToStream(tx, [
				createEvent('agent_discovered', {
					project_key: 'agentspace',
					agent_id: 'writer',
					name: 'writer',
					version: '1.0.0',
					manifest_path: '/agents/writer/agentspace.json',
					manifest_hash: 'a'.repeat(64),
					permissions_hash: 'b'.repeat(64),
					requested_permissions: [],
				}),
			]),
		);
		for (const [status, inputCount] of [
			[200, 12],
			[429, 0],
		] as const) {
			recordAuditEvent(db, {
				eventType: 'key_accessed',
				subject: { type: 'provider', id: 'anthropic' },
				metadata: { provider: 'anthropic', agentId: 'writer', status, inputCount, outputCount: 3 },
			});
		}
		db.$client.close();

		expect(
			runCli(temp.home, [
				'keys',
				'limit',
				'writer',
				'anthropic',
				'--rpm',
				'30',
				'--tokens-per-day',
				'1000',
			]).status,
		).toBe(0);
		const limits = runCliJson<{ limits: object[] }>(temp.home, ['keys', 'limit', 'list']);
		expect(limits.json.limits).toEqual([
			expect.objectContaining({
				agentId: 'writer',
				provider: 'anthropic',
				rpm: 30,
				tokensPerDay: 1000,
			}),
		]);
		expect(
			runCli(temp.home, ['keys', 'limit', 'ghost', 'anthropic', '--rpm', '3']).stderr,
		).toContain('error[NOT_FOUND]');
		expect(
			runCli(temp.home, ['keys', 'limit', 'writer', 'anthropic', '--rpm', 'lots']).stderr,
		).toContain('invalid --rpm');
		expect(runCli(temp.home, ['keys', 'limit', 'writer', 'anthropic', '--clear']).status).toBe(0);
		expect(
			runCliJson<{ limits: object[] }>(temp.home, ['keys', 'limit', 'list']).json.limits,
		).toEqual([]);

		const usage = runCliJson<{ rows: object[]; totals: object }>(temp.home, [
			'keys',
			'usage',
			'--since',
			'1h',
		]);
		expect(usage.json.rows).toEqual([
			{
				agentId: 'writer',
				provider: 'anthropic',
				requests: 2,
				inputTokens: 12,
				outputTokens: 6,
				errors: 1,
			},
		]);
		expect(runCli(temp.home, ['keys', 'usage', '--agent', 'nobody']).stdout).toContain(
			'No requests',
		);
		expect(runCli(temp.home, ['keys', 'usage', '--since', 'soon']).stderr).toContain(
			'invalid --since',
		);
	});

	it('shows examples in the help of each command', () => {
		for (const args of [
			['keys'],
			['keys', 'add'],
			['keys', 'list'],
			['keys', 'rotate'],
			['keys', 'remove'],
			['keys', 'token'],
			['keys', 'limit'],
			['keys', 'usage'],
			['secrets'],
			['secrets', 'set'],
			['secrets', 'list'],
			['secrets', 'remove'],
		]) {
			expect(runCli(temp.home, [...args, '--help']).stdout, args.join(' ')).toMatch(
				/Examples?:\n {2}\$ \S/,
			);
		}
	});
});

/**
 * Runs the CLI on a pseudo-terminal (Python's pty: Node has none), types
 * `typed` and a carriage return once the prompt shows, and returns all the
 * terminal showed.
 */
function onTerminal(args: readonly string[], typed: string): string {
	const script = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b''
def read(until):
    global out
    end = time.time() + 20
    while time.time() < end and until not in out:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            out += chunk
read(b': ')
os.write(fd, sys.stdin.buffer.read() + b'\\r')
read(b'\\x00never')
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
`;
	const result = spawnSync(
		'python3',
		['-c', script, process.execPath, CLI_BIN, '--home', temp.home, ...args],
		{
			input: typed,
			encoding: 'utf8',
			timeout: 30_000,
			env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
		},
	);
	return result.stdout;
}

describe('agentspace keys on a terminal', () => {
	it.skipIf(spawnSync('python3', ['--version']).status !== 0)(
		'prompts for the key with echo off',
		() => {
			const shown = onTerminal(['keys', 'add', 'openai'], KEY);
			expect(shown).toContain('openai key: ');
			expect(shown).toContain('Added openai');
			expect(shown.includes(KEY)).toBe(false);
			expect(filesContaining(temp.home, KEY)).toEqual([join(temp.home, 'vault.json')]);
		},
	);
});

describe('agentspace secrets', () => {
	it('sets, replaces, lists and removes a secret', () => {
		expect(piped(`${SECRET}\n`, ['secrets', 'set', 'GH_TOKEN']).stdout).toContain(
			'Set secret GH_TOKEN',
		);
		expect(piped('other', ['secrets', 'set', 'GH_TOKEN']).stdout).toContain(
			'Replaced secret GH_TOKEN',
		);
		const listed = runCliJson<{ secrets: { name: string; storageLabel: string }[] }>(temp.home, [
			'secrets',
			'list',
		]);
		expect(listed.json.secrets).toEqual([
			expect.objectContaining({ name: 'GH_TOKEN', storageLabel: 'file, not encrypted at rest' }),
		]);
		expect(runCli(temp.home, ['secrets', 'remove', 'GH_TOKEN']).status).toBe(0);
		expect(runCli(temp.home, ['secrets', 'remove', 'GH_TOKEN']).stderr).toContain(
			'error[NOT_FOUND]: no secret GH_TOKEN',
		);
		expect(piped('x', ['secrets', 'set', '../x']).stderr).toContain('invalid secret name');
	});

	it('drops one trailing newline, refuses an empty, oversized or piped-too-long value and a name sharing a variable', () => {
		const set = (input: string, name: string) =>
			runNode(CLI_BIN, ['--home', temp.home, '--json', 'secrets', 'set', name], {
				input,
				env: { NO_COLOR: '1' },
			});
		// One newline dropped (as echo adds), a second one kept: it is the value's.
		expect(JSON.parse(set('pem-line\n\n', 'pem').stdout).fingerprint).toBe(
			fingerprintOf('pem-line\n'),
		);
		expect(set('\n', 'empty').stderr).toContain("error[VALIDATION_FAILED]: the secret's value");
		expect(set('x'.repeat(65_537), 'big').stderr).toContain('1-65536 bytes');
		// The CLI stops reading at 1 MiB (the rest of the pipe is left: EPIPE here).
		const huge = spawnSync(
			process.execPath,
			[CLI_BIN, '--home', temp.home, 'secrets', 'set', 'huge'],
			{
				input: 'x'.repeat(2 * 1024 * 1024),
				encoding: 'utf8',
				env: { PATH: process.env.PATH, NO_COLOR: '1' },
			},
		);
		expect(huge.stderr).toContain('error[VALIDATION_FAILED]: more than 1 MiB on stdin');
		const shared = set(SECRET, 'PEM');
		expect(shared.status).toBe(4);
		expect(shared.stderr).toContain(
			'error[CONFLICT]: secret PEM would be passed to runs as AGENTSPACE_SECRET_PEM, as secret pem already is',
		);
		expect(shared.stderr).toContain('agentspace secrets set pem');
		expect(filesContaining(temp.home, SECRET)).toEqual([]);
		expect(
			runCliJson<{ secrets: { name: string }[] }>(temp.home, ['secrets', 'list']).json.secrets.map(
				(secret) => secret.name,
			),
		).toEqual(['pem']);
	});

	it.skipIf(spawnSync('python3', ['--version']).status !== 0)(
		'refuses a bad or shared name before prompting for a value',
		() => {
			piped('first', ['secrets', 'set', 'a-b']);
			const shown = onTerminal(['secrets', 'set', 'a_b'], SECRET);
			expect(shown).toContain('error[CONFLICT]: secret a_b would be passed');
			expect(shown).not.toContain('a_b: ');
			expect(filesContaining(temp.home, SECRET)).toEqual([]);
		},
	);
});

describe('nothing secret on disk', () => {
	it('finds a key and a secret added through the CLI only in vault.json (0600), after every command that reads them', () => {
		expect(piped(KEY, ['keys', 'add', 'anthropic']).status).toBe(0);
		expect(piped(`${SECRET}\n`, ['secrets', 'set', 'GH_TOKEN']).status).toBe(0);
		const outputs: string[] = [];
		for (const args of [
			['keys', 'list'],
			['keys', 'list', '--json'],
			['secrets', 'list', '--json'],
			['keys', 'usage'],
			['audit', 'list', '--json'],
			['events', 'list', '--json'],
			['doctor', '--json'],
		]) {
			const result = runCli(temp.home, args);
			outputs.push(result.stdout, result.stderr);
		}
		for (const value of [KEY, SECRET]) {
			for (const output of outputs) expect(output.includes(value)).toBe(false);
			expect(filesContaining(temp.home, value)).toEqual([join(temp.home, 'vault.json')]);
		}
		expect(statSync(join(temp.home, 'vault.json')).mode & 0o777).toBe(0o600);
		// The home holds a database, its log files, logs: every one was searched.
		expect(readdirSync(temp.home).length).toBeGreaterThan(2);
	});

	it('doctor reports the vault file honestly, and fails one others could read', () => {
		piped(KEY, ['keys', 'add', 'anthropic']);
		const report = runCliJson<{
			checks: { id: string; status: string; detail: string; data?: { storage?: string } }[];
		}>(temp.home, ['doctor']);
		const keys = report.json.checks.find((c) => c.id === 'keys');
		expect(keys).toMatchObject({ status: 'warn', data: { storage: 'file' } });
		expect(keys?.detail).toContain('file, not encrypted at rest');
		chmodSync(join(temp.home, 'vault.json'), 0o644);
		const loose = runCliJson<{ checks: { id: string; status: string; hint?: string }[] }>(
			temp.home,
			['doctor'],
		);
		expect(loose.status).toBe(11);
		expect(loose.json.checks.find((c) => c.id === 'keys')).toMatchObject({ status: 'fail' });
		expect(statSync(join(temp.home, 'vault.json')).mode & 0o777).toBe(0o600);
	});
});
