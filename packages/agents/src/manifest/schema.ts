import { z } from 'zod';
import { gitUrlProblem } from '../install/gitUrlProblem.js';
import { parsePermission } from '../permissions/parsePermission.js';

// semver.org's regular expression (MAJOR.MINOR.PATCH, pre-release, build).
const SEMVER =
	/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

// Paths in permissions are resolved later against real bases; for checking the
// manifest's syntax any fixed bases do.
const SYNTAX_BASES = { home: '/home/user', agentDir: '/agent' };

const noNul = (value: string) => !value.includes('\0');

/** One program to run: a command and its arguments, an argv — never a shell string. */
export const CommandSchema = z.strictObject({
	command: z.string().min(1).max(4096).refine(noNul, 'must not contain a NUL character'),
	args: z
		.array(z.string().max(65_536).refine(noNul, 'must not contain a NUL character'))
		.max(1024)
		.default([]),
});

/** A git URL an agent can be installed from: https, ssh or file URLs, or `user@host:path` (see gitUrlProblem). */
export const GitUrlSchema = z.string().superRefine((url, ctx) => {
	const problem = gitUrlProblem(url);
	if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** How AgentSpace talks to a running agent: `none` (it does not), `mcp` (MCP over the agent's stdin/stdout). */
export const AGENT_PROTOCOLS = ['none', 'mcp'] as const;

/** A value of the manifest's `protocol` field. */
export type AgentProtocol = (typeof AGENT_PROTOCOLS)[number];

/** The agent manifest, `agentspace.agent.json` (specs/agent-manifest.md). */
export const ManifestSchema = z.strictObject({
	/** Also the agent's directory name, so it must be safe as one. */
	id: z
		.string()
		.regex(
			/^[a-z0-9][a-z0-9._-]{0,63}$/,
			'must be 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
		)
		.refine((id) => !id.includes('..'), 'must not contain ".."'),
	name: z.string().min(1).max(128),
	// The events keep at most 128 characters: a longer version could never be recorded.
	version: z.string().max(128).regex(SEMVER, 'must be a semantic version, e.g. 1.2.3'),
	description: z.string().max(4096).optional(),
	entrypoint: CommandSchema,
	build: z.strictObject({ steps: z.array(CommandSchema).min(1).max(64) }).optional(),
	permissions: z
		.array(
			z.string().superRefine((text, ctx) => {
				const parsed = parsePermission(text, SYNTAX_BASES);
				if (!parsed.ok)
					for (const error of parsed.errors)
						ctx.addIssue({ code: 'custom', message: error.message });
			}),
		)
		.max(256)
		.default([]),
	/** Names of environment variables the agent would like; each still needs an `env:read:` approval. */
	env: z
		.array(
			z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name'),
		)
		.max(256)
		.optional(),
	source: GitUrlSchema.optional(),
	// No default: a default would enter the canonical JSON the manifest hash is
	// taken over, and change the hash (so the approval) of every manifest
	// written before the field existed. Absent means `none` (agentProtocol).
	protocol: z.enum(AGENT_PROTOCOLS, { error: 'must be "none" or "mcp"' }).optional(),
});

/** A valid manifest, defaults applied. */
export type Manifest = z.output<typeof ManifestSchema>;

/** The manifest's protocol: `none` when the field is absent. */
export function agentProtocol(manifest: Pick<Manifest, 'protocol'>): AgentProtocol {
	return manifest.protocol ?? 'none';
}
