import { describe, expect, it } from 'vitest';
import { permissionCovers, uncoveredPermissions } from './covers.js';
import { formatPermission, parsePermission } from './parsePermission.js';
import { toolCallAllowed, toolCallScopes } from './toolCallScopes.js';
import type { Permission } from './types.js';

const bases = { home: '/home/ada', agentDir: '/home/ada/.config/agentspace/agents/echo/src' };
const parse = (text: string): Permission => {
	const result = parsePermission(text, bases);
	if (!result.ok) throw new Error(result.errors[0]?.message);
	return result.value;
};

describe('parsePermission', () => {
	const valid: [string, string][] = [
		['filesystem:read:~/data', 'filesystem:read:/home/ada/data'],
		['filesystem:read:~', 'filesystem:read:/home/ada'],
		['filesystem:write:/tmp/out/', 'filesystem:write:/tmp/out'],
		['filesystem:write:./cache', `filesystem:write:${bases.agentDir}/cache`],
		['filesystem:read:data//x', `filesystem:read:${bases.agentDir}/data/x`],
		['filesystem:read:/', 'filesystem:read:/'],
		['filesystem:read:/path:with:colons', 'filesystem:read:/path:with:colons'],
		['network:egress:API.Example.com', 'network:egress:api.example.com'],
		['network:egress:*.example.com:443', 'network:egress:*.example.com:443'],
		['network:egress:10.0.0.1:8080', 'network:egress:10.0.0.1:8080'],
		['network:egress:[::1]:8080', 'network:egress:[::1]:8080'],
		['env:read:OPENAI_API_KEY', 'env:read:OPENAI_API_KEY'],
		['secret:read:github-token', 'secret:read:github-token'],
		['process:spawn', 'process:spawn'],
		['tool:call:fleet/*', 'tool:call:fleet/*'],
		['tool:call:files/read_file', 'tool:call:files/read_file'],
		['tool:call:agentspace/list_agents', 'tool:call:agentspace/list_agents'],
		['tool:call:my.agent-1/v2.search_docs', 'tool:call:my.agent-1/v2.search_docs'],
	];
	it.each(valid)('%s → %s', (text, canonical) => {
		expect(formatPermission(parse(text))).toBe(canonical);
	});

	const invalid: [unknown, RegExp][] = [
		[
			'disk:read:/x',
			/unknown domain "disk".*valid domains: filesystem, network, env, secret, process/,
		],
		['filesystem:delete:/x', /unknown action "delete".*filesystem:read, filesystem:write/],
		['filesystem:read', /needs a path/],
		['filesystem:read:', /needs a path/],
		['filesystem:read:~/../etc', /"\.\." is not allowed/],
		['filesystem:read:data/../../x', /"\.\." is not allowed/],
		['filesystem:read:~bob/x', /another user's home/],
		['network:egress', /needs a host/],
		['network:egress:exa mple.com', /not a host name/],
		['network:egress:example.com:0', /port must be a number from 1 to 65535/],
		['network:egress:example.com:70000', /port must be/],
		['network:egress:example.com:08', /port must be/],
		['network:egress:::1', /brackets/],
		['network:egress:[nope]:1', /IPv6/],
		['network:egress:-bad.com', /not a host name/],
		['env:read', /needs a variable name/],
		['env:read:1ABC', /needs a variable name/],
		['env:read:AGENTSPACE_SESSION_TOKEN', /set by AgentSpace for each run/],
		['env:read:agentspace_secret_x', /set by AgentSpace for each run/],
		['secret:read:', /needs a secret name/],
		['process:spawn:sh', /takes no scope/],
		['tool:call', /tool:call needs <agent>\/<tool>/],
		['tool:call:fleet', /needs <agent>\/<tool>/],
		['tool:call:fleet/', /needs <agent>\/<tool>/],
		['tool:call:/read_file', /needs <agent>\/<tool>/],
		['tool:call:Files/read_file', /needs <agent>\/<tool>/],
		['tool:call:files/read file', /needs <agent>\/<tool>/],
		['tool:call:files/a/b', /needs <agent>\/<tool>/],
		['tool:call:files/re*', /needs <agent>\/<tool>/],
		[`tool:call:files/${'x'.repeat(129)}`, /needs <agent>\/<tool>/],
		['tool:run:files/x', /unknown action "run".*tool:call/],
		['', /permission string/],
		[42, /permission string/],
	];
	it.each(invalid)('refuses %s', (text, message) => {
		const result = parsePermission(text, bases);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[0]?.message).toMatch(message);
	});

	it('refuses a path longer than 4095 bytes once resolved, so its canonical form stays recordable', () => {
		// Short enough as written; under a long home the resolved path is not.
		const text = `filesystem:read:~/${'a'.repeat(4000)}`;
		const longHome = { ...bases, home: `/home/${'h'.repeat(300)}` };
		expect(parsePermission(text, bases).ok).toBe(true);
		const result = parsePermission(text, longHome);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[0]?.message).toMatch(/longer than 4095 bytes/);
		const fits = parsePermission(`filesystem:read:~/${'a'.repeat(3700)}`, longHome);
		expect(fits.ok && formatPermission(fits.value).length).toBeLessThanOrEqual(4200);
	});
});

describe('tool:call scopes', () => {
	const scopes = toolCallScopes(
		['tool:call:fleet/*', 'tool:call:files/read_file', 'process:spawn'].map(parse),
	);
	it('are the approved tool:call permissions as <agent>/<tool>', () => {
		expect(scopes).toEqual(['fleet/*', 'files/read_file']);
	});
	const targets: [string, boolean][] = [
		['fleet/send_message', true],
		['fleet/inbox', true],
		['files/read_file', true],
		['files/write_file', false],
		['fleetx/inbox', false],
		['flee/t', false],
		['fleet/*', false],
		['fleet/', false],
		['/read_file', false],
		['files', false],
	];
	it.each(targets)('%s → %s', (target, allowed) => {
		expect(toolCallAllowed(scopes, target)).toBe(allowed);
	});
});

describe('approved ⊆ requested', () => {
	const cases: [string, string, boolean][] = [
		['filesystem:read:~/data', 'filesystem:read:~/data', true],
		['filesystem:read:~/data', 'filesystem:read:~/data/sub/file.txt', true],
		['filesystem:read:~/data', 'filesystem:read:~/database', false],
		['filesystem:read:~/data/sub', 'filesystem:read:~/data', false],
		['filesystem:read:~/data', 'filesystem:write:~/data', false],
		['filesystem:write:~/data', 'filesystem:read:~/data', false],
		['filesystem:read:/', 'filesystem:read:/etc', true],
		['network:egress:api.example.com', 'network:egress:api.example.com', true],
		['network:egress:api.example.com', 'network:egress:api.example.com:443', true],
		['network:egress:api.example.com:443', 'network:egress:api.example.com', false],
		['network:egress:api.example.com:443', 'network:egress:api.example.com:80', false],
		['network:egress:*.example.com', 'network:egress:api.example.com', true],
		['network:egress:*.example.com', 'network:egress:*.api.example.com', true],
		['network:egress:*.example.com', 'network:egress:example.com', false],
		['network:egress:*.example.com', 'network:egress:evilexample.com', false],
		['network:egress:api.example.com', 'network:egress:*.example.com', false],
		['env:read:HOME', 'env:read:HOME', true],
		['env:read:HOME', 'env:read:home', false],
		['secret:read:a', 'secret:read:b', false],
		['process:spawn', 'process:spawn', true],
		['process:spawn', 'env:read:X', false],
		['tool:call:fleet/*', 'tool:call:fleet/*', true],
		['tool:call:fleet/*', 'tool:call:fleet/send_message', true],
		['tool:call:fleet/send_message', 'tool:call:fleet/send_message', true],
		['tool:call:fleet/send_message', 'tool:call:fleet/*', false],
		['tool:call:fleet/send_message', 'tool:call:fleet/inbox', false],
		['tool:call:fleet/*', 'tool:call:fleetx/inbox', false],
		['tool:call:files/*', 'tool:call:fleet/inbox', false],
	];
	it.each(cases)('requested %s, approved %s → %s', (requested, approved, covered) => {
		expect(permissionCovers(parse(requested), parse(approved))).toBe(covered);
	});

	it('names every approved permission no request covers', () => {
		const requested = ['filesystem:read:~/data', 'network:egress:*.example.com'].map(parse);
		const approved = [
			'filesystem:read:~/data/x',
			'network:egress:example.com',
			'process:spawn',
		].map(parse);
		expect(uncoveredPermissions(requested, approved).map(formatPermission)).toEqual([
			'network:egress:example.com',
			'process:spawn',
		]);
	});
});
