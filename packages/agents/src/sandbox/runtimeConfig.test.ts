import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome } from '@agentspace/testing';
import { describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { readAllowances, sandboxRuntimeConfig } from './runtimeConfig.js';
import { sandboxPolicyFor } from './sandboxPolicy.js';

describe('sandboxRuntimeConfig', () => {
	it('maps the policy onto the library: strict allowlist, ports kept, the filesystem rules', () => {
		const paths = agentPaths('/h/agentspace', 'a');
		const policy = sandboxPolicyFor({
			agentHome: '/h/agentspace',
			userHome: '/h',
			paths,
			installPath: paths.src,
			runId: 'r',
			approved: [{ domain: 'network', action: 'egress', host: 'api.example.com', port: 443 }],
		});
		const config = sandboxRuntimeConfig(policy, '/usr/bin/bwrap');
		expect(config.network).toEqual({
			allowedDomains: ['api.example.com:443'],
			deniedDomains: [],
			strictAllowlist: true,
		});
		expect(config.filesystem.denyWrite).toEqual(policy.denyWrite);
		expect(config.bwrapPath).toBe('/usr/bin/bwrap');
		expect(sandboxRuntimeConfig(policy, undefined)).not.toHaveProperty('bwrapPath');
	});
});

describe('readAllowances', () => {
	it('gives a re-opened directory above a writable one as its entries, without the writable paths', () => {
		const temp = createTempHome('allowances');
		try {
			const agentHome = join(temp.home, 'agentspace');
			const paths = agentPaths(agentHome, 'a');
			for (const dir of [
				join(paths.src, 'cache'),
				join(paths.src, 'lib'),
				paths.data,
				paths.home,
			]) {
				mkdirSync(dir, { recursive: true });
			}
			writeFileSync(join(paths.src, 'index.js'), '');
			const policy = sandboxPolicyFor({
				agentHome,
				userHome: temp.home,
				paths,
				installPath: paths.src,
				runId: 'r',
				approved: [
					{ domain: 'filesystem', action: 'write', path: join(paths.src, 'cache') },
					{ domain: 'filesystem', action: 'read', path: '/etc' },
				],
			});
			expect(readAllowances(policy).sort()).toEqual(
				[join(paths.src, 'index.js'), join(paths.src, 'lib'), paths.home].sort(),
			);
		} finally {
			temp.cleanup();
		}
	});
});
