import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from './testCli.js';

// Errors through the built binary, as a terminal gets them: text someone else
// wrote reaches stderr escaped (a command line's, a daemon peer's), and
// --json keeps it as it is, JSON-escaped.

const ESC = '\u001b';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('report-error');
});
afterEach(() => temp.cleanup());

describe('reportError', () => {
	it('prints the options’ text escaped, one problem per line, and --json as it was given', () => {
		const args = ['events', 'list', '--type', `${ESC}[31mred`, '--since', 'x\ry'];
		const result = runCli(temp.home, args);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(
			[
				'error[USAGE]: 2 problems with the options:',
				'  - --type "\\u{1b}[31mred" is not an event type',
				'  - --since "x\\u{d}y" is not a time',
				'hint: fix the listed options; run `agentspace events list --help` for examples',
				'',
			].join('\n'),
		);
		const json = runCli(temp.home, [...args, '--json']);
		expect(JSON.parse(json.stdout)).toMatchObject({
			error: {
				code: 'USAGE',
				issues: [
					{ path: '--type', message: `--type "${ESC}[31mred" is not an event type` },
					{ path: '--since', message: '--since "x\ry" is not a time' },
				],
			},
		});
		expect(json.stdout).not.toContain(ESC);
	});

	describe('an error a peer on the daemon’s socket answers', () => {
		let server: Server;
		beforeEach(async () => {
			mkdirSync(join(temp.home, 'run'), { recursive: true, mode: 0o700 });
			// Not the daemon: a peer that answers every request with an error of its making.
			server = createServer((socket) => {
				socket.once('data', () => {
					socket.end(
						`${JSON.stringify({
							ok: false,
							error: {
								code: 'CONFLICT',
								message: `busy${ESC}[31m\r\nerror[INTERNAL]: forged`,
								hint: `wait${ESC}[2J\nhint: forged`,
							},
						})}\n`,
					);
				});
			});
			await new Promise<void>((resolve) =>
				server.listen(join(temp.home, 'run', 'daemon.sock'), resolve),
			);
		});
		afterEach(async () => {
			await new Promise((resolve) => server.close(resolve));
		});

		it('is printed escaped, on the lines of AgentSpace’s own', async () => {
			const result = await runCliAsync(temp.home, ['daemon', 'status']);
			expect(result.status).toBe(4);
			expect(result.stderr).toBe(
				[
					'error[CONFLICT]: busy\\u{1b}[31m\\u{d}\\u{a}error[INTERNAL]: forged',
					'hint: wait\\u{1b}[2J\\u{a}hint: forged',
					'',
				].join('\n'),
			);
			const json = await runCliAsync(temp.home, ['daemon', 'status', '--json']);
			expect(JSON.parse(json.stdout)).toEqual({
				error: {
					code: 'CONFLICT',
					message: `busy${ESC}[31m\r\nerror[INTERNAL]: forged`,
					hint: `wait${ESC}[2J\nhint: forged`,
				},
			});
		});
	});
});
