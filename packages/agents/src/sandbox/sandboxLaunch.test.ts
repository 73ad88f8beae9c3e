import { describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { sandboxedCommand } from './sandboxedCommand.js';
import { parseSandboxLaunch, validateSandboxLaunch } from './sandboxLaunch.js';
import { sandboxPolicyFor } from './sandboxPolicy.js';

const paths = agentPaths('/home/ada/.config/agentspace', 'echo');
const policy = sandboxPolicyFor({
	agentHome: '/home/ada/.config/agentspace',
	userHome: '/home/ada',
	paths,
	installPath: paths.src,
	runId: 'run-1',
	approved: [{ domain: 'network', action: 'egress', host: '*.example.com', port: 443 }],
});
const launch = { ...policy, argv: ['node', 'index.js'] };

describe('validateSandboxLaunch', () => {
	it('accepts what sandboxPolicyFor makes', () => {
		expect(validateSandboxLaunch(launch)).toEqual({ ok: true, value: launch });
	});

	it.each([
		[{ cwd: 'relative' }, 'cwd'],
		[{ tmpdir: '/a/../b' }, 'tmpdir'],
		[{ dataDir: '/data/' }, 'dataDir'],
		[{ runId: '' }, 'runId'],
		[{ runId: 'a b' }, 'runId'],
		[{ allowWrite: ['/ok', 'not/absolute'] }, 'allowWrite[1]'],
		[{ denyRead: '/not-a-list' }, 'denyRead'],
		[{ allowRead: ['/nul\0'] }, 'allowRead[0]'],
		[{ allowedHosts: ['Example.com'] }, 'allowedHosts[0]'],
		[{ allowedHosts: ['example.com:0'] }, 'allowedHosts[0]'],
		[{ allowedHosts: ['http://example.com'] }, 'allowedHosts[0]'],
		[{ argv: [] }, 'argv[0]'],
		[{ argv: [''] }, 'argv[0]'],
		[{ argv: ['node', 'a\0b'] }, 'argv[1]'],
		[{ surprise: true }, 'surprise'],
	])('refuses %j, naming %s', (change, path) => {
		const result = validateSandboxLaunch({ ...launch, ...change });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.map((error) => error.path)).toContain(path);
	});

	it('names every problem at once', () => {
		const result = validateSandboxLaunch({ ...launch, cwd: 'x', tmpdir: 'y', argv: [] });
		expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual([
			'cwd',
			'tmpdir',
			'argv[0]',
		]);
	});
});

describe('parseSandboxLaunch', () => {
	it.each([
		[undefined, 'missing'],
		['', 'missing'],
		['{', 'not JSON'],
		['[]', 'must be a JSON object'],
	])('refuses %j', (text, message) => {
		const result = parseSandboxLaunch(text);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[0]?.message).toContain(message);
	});

	it('reads back what sandboxedCommand writes', () => {
		const { command, args } = sandboxedCommand({
			hostScript: '/opt/host.js',
			policy,
			command: 'node',
			args: ['index.js', "it's"],
		});
		expect(command).toBe(process.execPath);
		expect(args).toEqual(['--max-semi-space-size=1', '/opt/host.js', expect.any(String)]);
		expect(parseSandboxLaunch(args[2])).toEqual({
			ok: true,
			value: { ...policy, argv: ['node', 'index.js', "it's"] },
		});
	});
});

describe('sandboxedCommand', () => {
	it('refuses a policy the host would refuse, with every problem', () => {
		expect(() =>
			sandboxedCommand({
				hostScript: '/opt/host.js',
				policy: { ...policy, cwd: 'relative' },
				command: '',
				args: [],
			}),
		).toThrow(
			expect.objectContaining({
				code: 'VALIDATION_FAILED',
				issues: [
					expect.objectContaining({ path: 'cwd' }),
					expect.objectContaining({ path: 'argv[0]' }),
				],
			}),
		);
	});
});
