#!/usr/bin/env node
// The Quickstart's main job, after the build: the whole agent lifecycle on
// examples/hello-agent, in a throw-away AgentSpace home (your own home is not
// touched): install → build → enable → run (in the OS sandbox, supervised by
// the daemon) → logs → stop. Each command is printed before it runs.
//
//   node scripts/demo.mjs [--home <dir>] [--keep]
//
// Plain Node with no dependencies, like setup.mjs; needs a built CLI and git.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps', 'cli', 'bin', 'agentspace.js');
const args = process.argv.slice(2);
const homeArg = args.indexOf('--home');
const keep = args.includes('--keep') || homeArg !== -1;

const color = process.stderr.isTTY && !process.env.NO_COLOR;
const bold = (text) => (color ? `\u001b[1m${text}\u001b[0m` : text);
const say = (text) => process.stderr.write(`${bold('==>')} ${text}\n`);
const fail = (text, hint) => {
	process.stderr.write(`error[DEMO]: ${text}\nhint: ${hint}\n`);
	process.exit(1);
};
if (!existsSync(cli)) fail('the CLI is not built', 'run `npm start` (or `pnpm build`) first');

const home = homeArg === -1 ? mkdtempSync(join(tmpdir(), 'agentspace-demo-')) : args[homeArg + 1];
const work = mkdtempSync(join(tmpdir(), 'agentspace-demo-src-'));
const env = { ...process.env, AGENTSPACE_HOME: home, HELLO_NAME: 'Quickstart' };

/** Runs `agentspace …`, printed first as the user would type it; stops the demo if it fails. */
function agentspace(...command) {
	process.stdout.write(`\n${bold(`$ agentspace ${command.join(' ')}`)}\n`);
	const result = spawnSync(process.execPath, [cli, ...command], { stdio: 'inherit', env });
	if (result.status !== 0) {
		cleanUp();
		fail(
			`\`agentspace ${command.join(' ')}\` failed (exit ${result.status})`,
			'read its error above',
		);
	}
}
function git(...command) {
	const result = spawnSync(
		'git',
		['-c', 'user.name=AgentSpace demo', '-c', 'user.email=demo@localhost', ...command],
		{ cwd: work, encoding: 'utf8' },
	);
	if (result.status !== 0)
		fail(`git ${command[0]} failed: ${result.stderr.trim()}`, 'is git installed?');
}
function cleanUp() {
	spawnSync(process.execPath, [cli, 'daemon', 'stop'], { stdio: 'ignore', env });
	rmSync(work, { recursive: true, force: true });
	if (!keep) rmSync(home, { recursive: true, force: true });
}

// The example as its own git repository: agents are installed from git.
cpSync(join(root, 'examples', 'hello-agent'), work, { recursive: true });
git('init', '--quiet', '--initial-branch=main');
git('add', '.');
git('commit', '--quiet', '-m', 'hello-agent');

say(`the agent lifecycle on examples/hello-agent, in a throw-away home: ${home}`);
const sandbox = spawnSync(process.execPath, [cli, 'doctor', '--json'], { encoding: 'utf8', env });
let sandboxed = true;
try {
	sandboxed = JSON.parse(sandbox.stdout).checks.find((c) => c.id === 'sandbox')?.status === 'ok';
} catch {
	sandboxed = false;
}
agentspace('agents', 'install', work);
agentspace('agents', 'build', 'hello-agent', '--yes');
agentspace('agents', 'enable', 'hello-agent', '--approve', 'env:read:HELLO_NAME');
if (!sandboxed) {
	say(
		'the OS sandbox is not available here (see `agentspace doctor`): running unsandboxed, audited',
	);
}
agentspace('agents', 'run', 'hello-agent', ...(sandboxed ? [] : ['--unsandboxed']));
await new Promise((resolve) => setTimeout(resolve, 3500));
agentspace('agents', 'status');
agentspace('agents', 'logs', 'hello-agent', '-n', '5');
agentspace('agents', 'stop', 'hello-agent');
agentspace('audit', 'list', '--type', 'agents.run_started');
agentspace('audit', 'verify');
cleanUp();
say(
	keep
		? `done. The demo home is kept: agentspace --home ${home} events list`
		: 'done. Try it on your own agents: agentspace agents discover',
);
