import { readdirSync, readFileSync } from 'node:fs';

/** A process inside the sandbox, by its host pid. */
export interface SandboxedProcess {
	readonly pid: number;
	/** Its program name (`comm`): it changes when the process execs another program. */
	readonly program: string;
}

function read(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

/** Every process's children and program name, from `/proc/<pid>/stat`. */
function processTable(): { children: Map<number, number[]>; programs: Map<number, string> } {
	const children = new Map<number, number[]>();
	const programs = new Map<number, string>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const stat = read(`/proc/${name}/stat`);
		if (stat === undefined) continue;
		// The program name is in parentheses and may hold both: fields resume after the last ')'.
		const close = stat.lastIndexOf(')');
		const ppid = Number(stat.slice(close + 2).split(' ')[1]);
		programs.set(Number(name), stat.slice(stat.indexOf('(') + 1, close));
		children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
	}
	return { children, programs };
}

function nsPids(pid: number): string[] | undefined {
	return read(`/proc/${pid}/status`)
		?.split('\n')
		.find((line) => line.startsWith('NSpid:'))
		?.slice('NSpid:'.length)
		.trim()
		.split(/\s+/);
}

/**
 * The agent's process below the wrapper `wrapperPid` (the outer bwrap): the
 * child of the sandbox's nested init — the seccomp helper that is pid 1 of
 * the innermost pid namespace (the first descendant whose NSpid has three
 * levels and ends in 1). Before the agent is exec'd that child is the shell
 * that starts it. Undefined while the sandbox is being set up, or without the
 * seccomp helper. Linux only.
 */
export function findSandboxedAgent(wrapperPid: number): SandboxedProcess | undefined {
	const { children, programs } = processTable();
	const queue = [...(children.get(wrapperPid) ?? [])];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		const levels = nsPids(pid);
		if (levels?.length === 3 && levels[2] === '1') {
			const agent = children.get(pid)?.[0];
			return agent === undefined ? undefined : { pid: agent, program: programs.get(agent) ?? '' };
		}
		queue.push(...(children.get(pid) ?? []));
	}
	return undefined;
}
