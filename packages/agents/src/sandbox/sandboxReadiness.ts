import { DEFAULT_PATH, findExecutable } from './findExecutable.js';

/** Whether agents can run inside the OS sandbox on this machine, and what to install if not. */
export interface SandboxReadiness {
	readonly ready: boolean;
	readonly platform: NodeJS.Platform;
	/** The programs the sandbox needs that are not on PATH (e.g. `bwrap`, `socat`, `rg`). */
	readonly missing: readonly string[];
	/** Where each program the sandbox needs was found, when ready on Linux (`bwrap` → `/usr/bin/bwrap`…). */
	readonly tools?: Readonly<Record<string, string>>;
	/** What is wrong, when not ready. */
	readonly problem?: string;
	/** What to do about it, when not ready. */
	readonly hint?: string;
}

// Linux: bubblewrap builds the sandbox, socat bridges its network namespace to
// the filtering proxy, ripgrep finds the files that must stay unwritable.
// The seccomp helper ships inside @anthropic-ai/sandbox-runtime itself.
const LINUX_TOOLS: readonly (readonly [program: string, debianPackage: string])[] = [
	['bwrap', 'bubblewrap'],
	['socat', 'socat'],
	['rg', 'ripgrep'],
];

/**
 * Checks that the programs the OS sandbox needs are installed: on Linux
 * `bwrap`, `socat` and `rg` on PATH; on macOS `sandbox-exec` (Seatbelt; the
 * library needs no ripgrep there). Only looks at the file system — it starts
 * nothing — so it is fast enough for every `agents run` and `doctor`.
 */
export function sandboxReadiness(
	env: { readonly PATH?: string | undefined } = process.env,
	platform: NodeJS.Platform = process.platform,
): SandboxReadiness {
	const path = env.PATH ?? DEFAULT_PATH;
	if (platform === 'linux') {
		const found = Object.fromEntries(
			LINUX_TOOLS.map(([program]) => [program, findExecutable(program, path)]),
		);
		const missing = LINUX_TOOLS.filter(([program]) => found[program] === undefined);
		if (missing.length === 0) {
			return { ready: true, platform, missing: [], tools: found as Record<string, string> };
		}
		const packages = missing.map(([, pkg]) => pkg).join(' ');
		return {
			ready: false,
			platform,
			missing: missing.map(([program]) => program),
			problem: `the OS sandbox needs ${missing.map(([program]) => program).join(', ')}, not found on PATH`,
			hint: `install ${missing.length === 1 ? 'it' : 'them'}: on Debian/Ubuntu \`sudo apt-get install ${packages}\`, on Fedora \`sudo dnf install ${packages}\``,
		};
	}
	if (platform === 'darwin') {
		// sandbox-exec ships with macOS in /usr/bin; PATH may not list it.
		if (findExecutable('sandbox-exec', `${path}:/usr/bin`) !== undefined) {
			return { ready: true, platform, missing: [] };
		}
		return {
			ready: false,
			platform,
			missing: ['sandbox-exec'],
			problem: 'the OS sandbox needs /usr/bin/sandbox-exec (part of macOS), which is missing',
			hint: 'sandbox-exec is part of macOS itself; check that /usr/bin/sandbox-exec exists and is executable',
		};
	}
	return {
		ready: false,
		platform,
		missing: [],
		problem: `the OS sandbox is not supported on ${platform}`,
		hint: 'agents can run sandboxed on Linux (bubblewrap) and macOS (sandbox-exec)',
	};
}
