// The sandbox host's entry: `node sandboxHostMain.js <launch-json>` (see sandboxedCommand).
import { runSandboxHost } from './sandboxHost.js';

await runSandboxHost(process.argv);
