import { isIPv4, isIPv6 } from 'node:net';
import { posix } from 'node:path';
import type { ValidationResult } from '@agentspace/core';
// The rule's own entry, not the package's root: the sandbox host bundles this
// parser, and the root would bring zod and the event catalogue with it.
import {
	MAX_PERMISSION_LENGTH,
	permissionStringProblem,
	permissionTextProblem,
} from '@agentspace/events/permission-string';
import { PERMISSION_ACTIONS, type Permission, type PermissionBases } from './types.js';

const DOMAINS = Object.keys(PERMISSION_ACTIONS) as (keyof typeof PERMISSION_ACTIONS)[];
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// An agent id as the manifest has it (@agentspace/events' AgentId), and a tool
// name as MCP has it (@agentspace/tools' registry): what a call can name.
const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_PATH_BYTES = 4095;

type Result = ValidationResult<Permission>;
const fail = (message: string): Result => ({ ok: false, errors: [{ path: '(root)', message }] });

/**
 * Parses one `domain:action[:scope]` string into what it grants. Paths are
 * resolved against `bases`: `~/x` under the user's home, a relative path under
 * the agent's directory; `..` is refused so that the path shown for approval
 * is the path granted. Every problem says what would be valid instead.
 */
export function parsePermission(text: unknown, bases: PermissionBases): Result {
	if (typeof text !== 'string' || text.length === 0 || text.length > MAX_PERMISSION_LENGTH) {
		return fail(
			`must be a permission string "domain:action[:scope]" of at most ${MAX_PERMISSION_LENGTH} characters`,
		);
	}
	// Before any message below quotes the text back: no control characters.
	const textProblem = permissionTextProblem(text);
	if (textProblem !== undefined) return fail(`${quoted(text)} ${textProblem}`);
	const parsed = parseVocabulary(text, bases);
	// The syntax the events check: what passes here can always be recorded.
	const problem = permissionStringProblem(text);
	return parsed.ok && problem !== undefined ? fail(`"${text}" ${problem}`) : parsed;
}

/** `text` in quotes with every character a terminal would act on, or hide, escaped. */
function quoted(text: string): string {
	return JSON.stringify(text).replace(
		/[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

function parseVocabulary(text: string, bases: PermissionBases): Result {
	const [domain = '', action = ''] = text.split(':', 2);
	// `llm:<provider>`: the provider where other domains have their action.
	if (domain === 'llm') return parseLlm(text);
	const scope =
		text.split(':').length > 2 ? text.slice(domain.length + action.length + 2) : undefined;
	if (!DOMAINS.includes(domain as (typeof DOMAINS)[number])) {
		return fail(`unknown domain "${domain}" in "${text}"; valid domains: ${DOMAINS.join(', ')}`);
	}
	const actions: readonly string[] = PERMISSION_ACTIONS[domain as keyof typeof PERMISSION_ACTIONS];
	if (!actions.includes(action)) {
		return fail(
			`unknown action "${action}" for ${domain} in "${text}"; valid: ${actions.map((a) => `${domain}:${a}`).join(', ')}`,
		);
	}
	switch (domain) {
		case 'process':
			return scope === undefined
				? { ok: true, value: { domain: 'process', action: 'spawn' } }
				: fail(`"process:spawn" takes no scope, got "${text}"`);
		case 'env':
			// The run's own variables (its id, session token, socket, secrets)
			// are set by AgentSpace: a caller's value must never replace them.
			if (scope?.toUpperCase().startsWith('AGENTSPACE_')) {
				return fail(
					`"${text}": AGENTSPACE_* variables are set by AgentSpace for each run and cannot be read from the caller; a secret is passed with secret:read:<name>`,
				);
			}
			return scope !== undefined && ENV_VAR.test(scope)
				? { ok: true, value: { domain: 'env', action: 'read', variable: scope } }
				: fail(
						`"${text}": env:read needs a variable name (letters, digits, "_"; not starting with a digit), e.g. env:read:OPENAI_API_KEY`,
					);
		case 'secret':
			return scope !== undefined && SECRET_NAME.test(scope)
				? { ok: true, value: { domain: 'secret', action: 'read', name: scope } }
				: fail(
						`"${text}": secret:read needs a secret name (1-128 letters, digits, ".", "_", "-"), e.g. secret:read:github-token`,
					);
		case 'network':
			return parseNetwork(text, scope);
		case 'tool':
			return parseToolCall(text, scope);
		default:
			return parseFilesystem(text, action as 'read' | 'write', scope, bases);
	}
}

function parseFilesystem(
	text: string,
	action: 'read' | 'write',
	scope: string | undefined,
	bases: PermissionBases,
): Result {
	if (scope === undefined || scope.length === 0 || scope.includes('\0')) {
		return fail(`"${text}": filesystem:${action} needs a path, e.g. filesystem:${action}:~/data`);
	}
	if (scope.split('/').includes('..')) {
		return fail(
			`"${text}": ".." is not allowed in a permission path; write the path it should grant`,
		);
	}
	if (scope.startsWith('~') && scope !== '~' && !scope.startsWith('~/')) {
		return fail(
			`"${text}": only "~" or "~/…" (your own home) is supported, not another user's home`,
		);
	}
	let path: string;
	if (scope === '~' || scope.startsWith('~/')) path = posix.join(bases.home, scope.slice(1));
	else if (scope.startsWith('/')) path = scope;
	else path = posix.join(bases.agentDir, scope);
	path = posix.normalize(path);
	if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
	// The longest path the system takes (PATH_MAX, with its NUL); it also keeps
	// the resolved permission within the length the events accept.
	if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
		return fail(
			`the path of "${text.slice(0, 80)}…" is longer than ${MAX_PATH_BYTES} bytes once resolved`,
		);
	}
	return { ok: true, value: { domain: 'filesystem', action, path } };
}

function parseNetwork(text: string, scope: string | undefined): Result {
	const example = 'e.g. network:egress:api.example.com or network:egress:*.example.com:443';
	if (scope === undefined || scope.length === 0)
		return fail(`"${text}": network:egress needs a host, ${example}`);
	let host: string;
	let portText: string | undefined;
	if (scope.startsWith('[')) {
		const end = scope.indexOf(']');
		host = scope.slice(0, end + 1);
		const rest = scope.slice(end + 1);
		if (end < 0 || !isIPv6(host.slice(1, -1)) || (rest !== '' && !rest.startsWith(':'))) {
			return fail(`"${text}": not a valid [IPv6] address, ${example}`);
		}
		portText = rest === '' ? undefined : rest.slice(1);
	} else {
		const parts = scope.split(':');
		if (parts.length > 2)
			return fail(`"${text}": put an IPv6 address in brackets, e.g. network:egress:[::1]:8080`);
		host = (parts[0] as string).toLowerCase();
		portText = parts[1];
		const name = host.startsWith('*.') ? host.slice(2) : host;
		const isName = name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
		if (!isIPv4(host) && !isName)
			return fail(`"${text}": "${parts[0]}" is not a host name or address, ${example}`);
	}
	let port: number | undefined;
	if (portText !== undefined) {
		port = /^[1-9][0-9]{0,4}$/.test(portText) ? Number(portText) : Number.NaN;
		if (!(port >= 1 && port <= 65535))
			return fail(`"${text}": the port must be a number from 1 to 65535`);
	}
	return { ok: true, value: { domain: 'network', action: 'egress', host, port } };
}

function parseToolCall(text: string, scope: string | undefined): Result {
	const slash = scope?.indexOf('/') ?? -1;
	const agent = scope?.slice(0, slash) ?? '';
	const tool = scope?.slice(slash + 1) ?? '';
	if (slash < 0 || !AGENT_ID.test(agent) || (tool !== '*' && !TOOL_NAME.test(tool))) {
		return fail(
			`"${text}": tool:call needs <agent>/<tool> — an agent id (or agentspace, fleet for the built-in tools), "/", and a tool name (1-128 letters, digits, "_", ".", "-") or * for all of its tools, e.g. tool:call:fleet/* or tool:call:files/read_file`,
		);
	}
	return { ok: true, value: { domain: 'tool', action: 'call', agent, tool } };
}

/** The providers `llm:` names, besides `openai-compatible:<name>`. */
export const LLM_PROVIDERS: readonly string[] = ['anthropic', 'openai', 'ollama'];
// The name of an OpenAI-compatible provider, as `keys add` takes it.
const COMPATIBLE_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

function parseLlm(text: string): Result {
	const provider = text.slice('llm:'.length);
	const compatible = provider.startsWith('openai-compatible:')
		? provider.slice('openai-compatible:'.length)
		: undefined;
	if (
		LLM_PROVIDERS.includes(provider) ||
		(compatible !== undefined && COMPATIBLE_NAME.test(compatible))
	) {
		return { ok: true, value: { domain: 'llm', action: 'use', provider } };
	}
	return fail(
		`${quoted(text)}: llm: needs a provider — llm:anthropic, llm:openai, llm:ollama or llm:openai-compatible:<name> (1-32 lowercase letters, digits, "-", starting with a letter or digit), e.g. llm:openai-compatible:groq`,
	);
}

/** The canonical string of a parsed permission (paths resolved, host lowercased). */
export function formatPermission(permission: Permission): string {
	switch (permission.domain) {
		case 'filesystem':
			return `filesystem:${permission.action}:${permission.path}`;
		case 'network':
			return `network:egress:${permission.host}${permission.port === undefined ? '' : `:${permission.port}`}`;
		case 'env':
			return `env:read:${permission.variable}`;
		case 'secret':
			return `secret:read:${permission.name}`;
		case 'process':
			return 'process:spawn';
		case 'tool':
			return `tool:call:${permission.agent}/${permission.tool}`;
		case 'llm':
			return `llm:${permission.provider}`;
	}
}
