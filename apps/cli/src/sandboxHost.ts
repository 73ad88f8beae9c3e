// The sandbox host: one per sandboxed agent run (see @agentspace/agents'
// sandboxedCommand). Its own bundle, importing the host module alone (not the
// package index, whose Zod schemas would load too), so a run starts fast.
import { runSandboxHost } from '@agentspace/agents/sandbox-host';

await runSandboxHost(process.argv);
