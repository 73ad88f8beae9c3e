#!/usr/bin/env node
// Quickstart step one (`npm start`): from a fresh clone with only Node.js and
// npm, install the pinned pnpm if it is missing, install dependencies (native
// modules are compiled from source; nothing is downloaded except from the npm
// registry), build every package, run `agentspace doctor`, then the demo: the
// whole agent lifecycle on examples/hello-agent (scripts/demo.mjs). On Linux it
// first installs the OS sandbox's system packages (bubblewrap, socat, ripgrep)
// when they are missing and it can: as root or with sudo, with apt-get or dnf,
// asking first on a terminal (scripts/sandboxTools.mjs); --no-system-packages
// leaves the system alone.
//
//   node scripts/setup.mjs [--no-doctor] [--no-demo] [--no-system-packages] [-- <doctor arguments>]
//
// Plain Node with no dependencies: it has to run before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { askOnTerminal, ensureSandboxTools } from './sandboxTools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const separatorAt = process.argv.indexOf('--', 2);
const args = process.argv.slice(2);
const ownArgs = separatorAt === -1 ? args : process.argv.slice(2, separatorAt);
const runDoctor = !ownArgs.includes('--no-doctor');
const runDemo = runDoctor && !ownArgs.includes('--no-demo');
const systemPackages = !ownArgs.includes('--no-system-packages');
const separator = args.indexOf('--');
const doctorArgs = separator === -1 ? [] : args.slice(separator + 1);

const color = process.stderr.isTTY && !process.env.NO_COLOR;
const say = (text) => process.stderr.write(`${color ? '\u001b[1m==>\u001b[0m' : '==>'} ${text}\n`);
const fail = (text, hint) => {
	process.stderr.write(`error[SETUP]: ${text}\nhint: ${hint}\n`);
	process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
	fail(
		`Node.js ${process.versions.node} is too old`,
		'install Node.js 20.19 or newer (20 LTS, 22 or 24)',
	);
}

// 0. The OS sandbox's system packages (Linux). Asked first, so a user at a
//    terminal can answer and leave while the rest runs. Never fatal: without
//    them doctor warns and the demo runs the agent --unsandboxed, audited.
{
	const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
	// Ctrl-D at the prompt is a no; Ctrl-C stops here (exit 130). See askOnTerminal.
	const ask = (question) => askOnTerminal(`==> ${question}`);
	await ensureSandboxTools({ interactive, skip: !systemPackages, say, ask });
}

const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = packageManager.replace(/^pnpm@/, '');

const env = {
	...process.env,
	// better-sqlite3: compile with node-gyp instead of trying to download a prebuilt binary.
	npm_config_build_from_source: 'true',
	TURBO_TELEMETRY_DISABLED: '1',
	TURBO_NO_UPDATE_NOTIFIER: '1',
	DO_NOT_TRACK: '1',
	// pnpm's "update available" box suggests a curl | sh install; not for us.
	npm_config_update_notifier: 'false',
};
// node-gyp needs this Node's C headers. Without a nodedir it downloads them
// from nodejs.org, which is not the npm registry; official builds and Debian's
// nodejs ship them next to the binary, so point node-gyp there.
const nodePrefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, 'include', 'node', 'node.h'))) {
	env.npm_config_nodedir = nodePrefix;
}

function run(command, commandArgs, options = {}) {
	const result = spawnSync(command, commandArgs, { cwd: root, env, stdio: 'inherit', ...options });
	if (result.error)
		fail(
			`cannot run ${command}: ${result.error.message}`,
			`check that ${command} is installed and on PATH`,
		);
	return result.status ?? 1;
}

function versionOf(command) {
	const result = spawnSync(command, ['--version'], { cwd: root, env, encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

// 1. pnpm, exactly the pinned version: the workspace's own copy, a global one,
//    or a private copy installed through npm into .tools/.
const candidates = [
	join(root, 'node_modules', '.bin', 'pnpm'),
	'pnpm',
	join(root, '.tools', 'node_modules', '.bin', 'pnpm'),
];
let pnpm = candidates.find((candidate) => versionOf(candidate) === pnpmVersion);
if (pnpm === undefined) {
	say(`installing pnpm ${pnpmVersion} into .tools/ (through npm)`);
	const status = run('npm', [
		'install',
		'--prefix',
		join(root, '.tools'),
		'--no-audit',
		'--no-fund',
		'--loglevel=error',
		`pnpm@${pnpmVersion}`,
	]);
	pnpm = join(root, '.tools', 'node_modules', '.bin', 'pnpm');
	if (status !== 0 || versionOf(pnpm) !== pnpmVersion) {
		fail(
			`could not install pnpm ${pnpmVersion}`,
			'check that the npm registry is reachable, then run `npm start` again',
		);
	}
}
env.PATH = [dirname(pnpm) === '.' ? '' : dirname(pnpm), env.PATH].filter(Boolean).join(delimiter);

// 2. Dependencies, exactly as locked.
say(`installing dependencies with pnpm ${pnpmVersion}`);
if (run(pnpm, ['install', '--frozen-lockfile']) !== 0) {
	fail(
		'dependency installation failed',
		'read the output above; native modules need python3, make and a C++ compiler',
	);
}

// 2b. Native modules are compiled for one Node ABI. After switching Node
//     versions (nvm, the CI's Node 24 leg) they must be rebuilt, which pnpm
//     install does not notice by itself.
const probe = spawnSync(
	process.execPath,
	['-e', "new (require('better-sqlite3'))(':memory:').close()"],
	{
		cwd: join(root, 'packages', 'db'),
		env,
		encoding: 'utf8',
	},
);
if (probe.status !== 0) {
	say(`rebuilding native modules for Node ${process.versions.node}`);
	if (run(pnpm, ['rebuild', '-r', 'better-sqlite3']) !== 0)
		fail('rebuilding better-sqlite3 failed', 'read the output above');
}

// 3. Build every package.
say('building');
if (run(pnpm, ['run', 'build']) !== 0)
	fail('the build failed', 'read the output above; `pnpm build` repeats it');

// 4. The main job.
if (runDoctor) {
	const cli = join(root, 'apps', 'cli', 'bin', 'agentspace.js');
	if (!existsSync(cli)) fail('the CLI was not built', 'run `pnpm build` and read its output');
	say('agentspace doctor');
	process.exitCode = run(process.execPath, [cli, 'doctor', ...doctorArgs]);
	if (process.exitCode === 0 && runDemo) {
		process.exitCode = run(process.execPath, [join(root, 'scripts', 'demo.mjs')]);
	}
	if (process.exitCode === 0) {
		say(
			'done. Run the CLI with `pnpm agentspace <command>` (or `npx agentspace`); tests: `npm test`',
		);
	}
}
