import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A real git repository made for one test. */
export interface GitRepo {
	/** The working tree. */
	readonly path: string;
	/** `file://` URL of the repository, as `agents install` takes it. */
	readonly url: string;
	/** Writes files (path → content; objects become JSON) and commits them; returns the commit id. */
	commit(files: Readonly<Record<string, string | object>>, message?: string): string;
	/** Creates a lightweight tag at HEAD. */
	tag(name: string): void;
	/** Runs git in the repository and returns its stdout. */
	git(...args: string[]): string;
	/** Removes the repository. */
	cleanup(): void;
}

// Tests must not depend on the developer's git identity or config.
const GIT_ENV = {
	PATH: process.env.PATH,
	HOME: tmpdir(),
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_AUTHOR_NAME: 'AgentSpace Tests',
	GIT_AUTHOR_EMAIL: 'tests@agentspace.invalid',
	GIT_COMMITTER_NAME: 'AgentSpace Tests',
	GIT_COMMITTER_EMAIL: 'tests@agentspace.invalid',
};

/** Creates an empty git repository (branch `main`) in a new temporary directory. */
export function createGitRepo(label = 'repo'): GitRepo {
	const path = mkdtempSync(join(tmpdir(), `agentspace-test-${label}-`));
	const git = (...args: string[]) =>
		execFileSync('git', args, { cwd: path, env: GIT_ENV, encoding: 'utf8' }).trim();
	git('init', '--quiet', '--initial-branch=main');
	return {
		path,
		url: pathToFileURL(path).href,
		git,
		commit(files, message = 'update') {
			for (const [file, content] of Object.entries(files)) {
				const full = join(path, file);
				mkdirSync(dirname(full), { recursive: true });
				writeFileSync(
					full,
					typeof content === 'string' ? content : `${JSON.stringify(content, null, '\t')}\n`,
				);
			}
			git('add', '--all');
			git('commit', '--quiet', '--allow-empty', '-m', message);
			return git('rev-parse', 'HEAD');
		},
		tag(name) {
			git('tag', name);
		},
		cleanup: () => rmSync(path, { recursive: true, force: true }),
	};
}

/** The fixture agent's directory (`fixtures/echo-agent`). */
export const FIXTURE_AGENT_DIR = fileURLToPath(new URL('../fixtures/echo-agent', import.meta.url));

/** The launcher's fixture agent script (`fixtures/run-agent/agent.mjs`; its flags are listed at its top). */
export const FIXTURE_RUN_AGENT = fileURLToPath(
	new URL('../fixtures/run-agent/agent.mjs', import.meta.url),
);

/** The fixture agent's manifest, as committed. */
export function fixtureAgentManifest(): Record<string, unknown> {
	return JSON.parse(
		readFileSync(join(FIXTURE_AGENT_DIR, 'agentspace.agent.json'), 'utf8'),
	) as Record<string, unknown>;
}

/**
 * A git repository holding the fixture agent, committed once (tagged `v1`).
 * `manifest` fields override the fixture's own.
 */
export function createFixtureAgentRepo(manifest: Record<string, unknown> = {}): GitRepo {
	const repo = createGitRepo('agent');
	cpSync(FIXTURE_AGENT_DIR, repo.path, { recursive: true });
	repo.commit(
		{ 'agentspace.agent.json': { ...fixtureAgentManifest(), ...manifest } },
		'the fixture agent',
	);
	repo.tag('v1');
	return repo;
}
