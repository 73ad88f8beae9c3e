// The seccomp program bubblewrap loads for a sandbox without network approval
// (`bwrap --seccomp <fd>`). It is, instruction for instruction, the program
// the sandbox library's `apply-seccomp` helper (0.0.78) carries built in —
// seccompFilter.test.ts reads it out of the vendored binaries and compares —
// so dropping the helper process changes nothing the agent can do:
// socket(AF_UNIX, …) and the three io_uring calls fail with EPERM, every
// other call is allowed, and a call made through another architecture's
// system-call table (x32 on x86_64, or a foreign audit arch) kills the thread.

const LD_W_ABS = 0x20; // A = the 32-bit word at offset k of seccomp_data
const JEQ_K = 0x15;
const JGE_K = 0x35;
const AND_K = 0x54;
const RET_K = 0x06;

// seccomp_data: nr at 0, arch at 4, args[0] at 16 (low word; high at 20 on little-endian).
const NR = 0;
const ARCH = 4;
const ARG0_LOW = 16;
const ARG0_HIGH = 20;

const ALLOW = 0x7fff0000;
const ERRNO_EPERM = 0x00050001;
const KILL_THREAD = 0;
const AF_UNIX = 1;
const X32_SYSCALL_BIT = 0x40000000;
const IO_URING = [425, 426, 427]; // io_uring_setup, io_uring_enter, io_uring_register

type Instruction = readonly [code: number, jt: number, jf: number, k: number];

/** The tail both architectures share: socket(AF_UNIX, …) → EPERM. */
const socketCheck = (socketNr: number): Instruction[] => [
	[JEQ_K, 0, 5, socketNr],
	[LD_W_ABS, 0, 0, ARG0_HIGH],
	[AND_K, 0, 0, 0],
	[JEQ_K, 0, 2, 0],
	[LD_W_ABS, 0, 0, ARG0_LOW],
	[JEQ_K, 1, 0, AF_UNIX],
	[RET_K, 0, 0, ALLOW],
	[RET_K, 0, 0, ERRNO_EPERM],
	[RET_K, 0, 0, KILL_THREAD],
];

const PROGRAMS: Readonly<Record<string, readonly Instruction[]>> = {
	x64: [
		[LD_W_ABS, 0, 0, ARCH],
		[JEQ_K, 0, 14, 0xc000003e], // AUDIT_ARCH_X86_64
		[LD_W_ABS, 0, 0, NR],
		[JGE_K, 0, 1, X32_SYSCALL_BIT],
		[JEQ_K, 0, 11, 0xffffffff],
		[JEQ_K, 9, 0, IO_URING[0] as number],
		[JEQ_K, 8, 0, IO_URING[1] as number],
		[JEQ_K, 7, 0, IO_URING[2] as number],
		...socketCheck(41),
	],
	arm64: [
		[LD_W_ABS, 0, 0, ARCH],
		[JEQ_K, 0, 12, 0xc00000b7], // AUDIT_ARCH_AARCH64
		[LD_W_ABS, 0, 0, NR],
		[JEQ_K, 9, 0, IO_URING[0] as number],
		[JEQ_K, 8, 0, IO_URING[1] as number],
		[JEQ_K, 7, 0, IO_URING[2] as number],
		...socketCheck(198),
	],
};

/**
 * The compiled seccomp program (struct sock_filter[], native little-endian)
 * that blocks unix-socket creation and io_uring for `arch` (`x64`, `arm64`),
 * or undefined on an architecture it is not written for (there the sandbox
 * host, with the library's own checks, is used instead).
 */
export function unixSocketBlockFilter(arch: string = process.arch): Buffer | undefined {
	const program = PROGRAMS[arch];
	if (program === undefined) return undefined;
	const bytes = Buffer.alloc(program.length * 8);
	program.forEach(([code, jt, jf, k], index) => {
		bytes.writeUInt16LE(code, index * 8);
		bytes.writeUInt8(jt, index * 8 + 2);
		bytes.writeUInt8(jf, index * 8 + 3);
		bytes.writeUInt32LE(k >>> 0, index * 8 + 4);
	});
	return bytes;
}
