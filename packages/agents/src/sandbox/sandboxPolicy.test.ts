import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome } from '@agentspace/testing';
import { describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import type { Permission } from '../permissions/types.js';
import { sandboxPolicyFor } from './sandboxPolicy.js';

const userHome = '/home/ada';
const agentHome = '/home/ada/.config/agentspace';
const paths = agentPaths(agentHome, 'echo');

const read = (path: string): Permission => ({ domain: 'filesystem', action: 'read', path });
const write = (path: string): Permission => ({ domain: 'filesystem', action: 'write', path });
const egress = (host: string, port?: number): Permission => ({
	domain: 'network',
	action: 'egress',
	host,
	port,
});

const policyFor = (approved: Permission[]) =>
	sandboxPolicyFor({
		agentHome,
		userHome,
		paths,
		installPath: paths.src,
		runId: 'run-1',
		approved,
	});

describe('sandboxPolicyFor', () => {
	it('by default: writes to the data directory only, no network, credentials and the home hidden', () => {
		const policy = policyFor([]);
		expect(policy).toMatchObject({
			runId: 'run-1',
			cwd: paths.src,
			tmpdir: join(paths.data, 'tmp'),
			dataDir: paths.data,
			allowWrite: [paths.data],
			allowRead: [paths.root],
			allowedHosts: [],
		});
		for (const store of ['.ssh', '.aws', '.gnupg', '.npmrc', '.config/gh', '.git-credentials']) {
			expect(policy.denyRead).toContain(join(userHome, store));
		}
		for (const store of ['.netrc', '.docker', '.kube']) {
			expect(policy.denyRead).toContain(join(userHome, store));
		}
		expect(policy.denyRead).toContain(agentHome);
		expect(policy.denyWrite).toEqual(
			expect.arrayContaining([
				join(paths.data, '.git/hooks'),
				join(paths.data, '.git/config'),
				'/tmp/claude',
				join(userHome, '.npm/_logs'),
				join(userHome, '.claude/debug'),
			]),
		);
	});

	it('leaves the library’s home folders writable only under an approved write path', () => {
		const policy = policyFor([write(join(userHome, '.npm'))]);
		expect(policy.denyWrite).not.toContain(join(userHome, '.npm/_logs'));
		expect(policy.denyWrite).toContain(join(userHome, '.claude/debug'));
	});

	it('adds approved write paths, with their git hooks and config denied', () => {
		const policy = policyFor([write('/srv/out'), write(join(paths.src, 'cache'))]);
		expect(policy.allowWrite).toEqual([paths.data, '/srv/out', join(paths.src, 'cache')]);
		expect(policy.denyWrite).toEqual(
			expect.arrayContaining(['/srv/out/.git/hooks', '/srv/out/.git/config']),
		);
	});

	it('denies the hooks of repositories directly below an approved write path', () => {
		const temp = createTempHome('policy');
		try {
			mkdirSync(join(temp.home, 'code', 'repo', '.git'), { recursive: true });
			mkdirSync(join(temp.home, 'code', 'plain'), { recursive: true });
			const policy = policyFor([write(join(temp.home, 'code'))]);
			expect(policy.denyWrite).toContain(join(temp.home, 'code', 'repo', '.git', 'hooks'));
			expect(policy.denyWrite).toContain(join(temp.home, 'code', 'repo', '.git', 'config'));
			expect(policy.denyWrite).not.toContain(join(temp.home, 'code', 'plain', '.git', 'hooks'));
		} finally {
			temp.cleanup();
		}
	});

	it.each([
		['exactly that store', read('/home/ada/.aws'), true],
		['a directory above it', read('/home/ada'), true],
		['a path inside it', read('/home/ada/.aws/config'), false],
		['a neighbour with a common prefix', read('/home/ada/.aws-tools'), false],
		['writing it', write('/home/ada/.aws'), false],
	])('shows a credential store when reading %s is approved: %s', (_label, permission, shown) => {
		const policy = policyFor([permission]);
		expect(policy.denyRead.includes('/home/ada/.aws')).toBe(!shown);
		expect(policy.denyRead).toContain(agentHome); // never shown
	});

	it('re-opens approved paths that lie in a hidden area, and only those', () => {
		const policy = policyFor([
			read('/home/ada/.ssh/known_hosts'),
			write('/home/ada/.aws/cli/cache'),
			read('/home/ada/projects'),
		]);
		expect(policy.allowRead).toEqual([
			paths.root,
			'/home/ada/.ssh/known_hosts',
			'/home/ada/.aws/cli/cache',
		]);
	});

	it('turns network permissions into host or host:port entries', () => {
		const policy = policyFor([
			egress('api.example.com'),
			egress('*.example.org', 443),
			egress('[::1]', 8080),
			egress('api.example.com'),
		]);
		expect(policy.allowedHosts).toEqual(['api.example.com', '*.example.org:443', '[::1]:8080']);
	});

	it.each([
		read(join(agentHome, 'agentspace.db')),
		write(join(agentHome, 'config.json')),
		read(join(agentHome, 'agents', 'other')),
		write(agentHome),
	])('refuses an approval that reaches into the AgentSpace home: %j', (permission) => {
		expect(() => policyFor([permission])).toThrow(
			expect.objectContaining({ code: 'PERMISSION_DENIED' }),
		);
	});

	it('allows approvals inside the agent’s own directory or above the home', () => {
		expect(() => policyFor([write(join(paths.src, 'out')), read('/home/ada')])).not.toThrow();
	});

	it('refuses relative homes', () => {
		expect(() =>
			sandboxPolicyFor({
				agentHome: 'relative',
				userHome,
				paths,
				installPath: paths.src,
				runId: 'r',
				approved: [],
			}),
		).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
	});
});
