// Starts the nango-emulator binary for a test file and stops it by PID.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.NANGO_EMULATOR_BIN
    ? path.resolve(process.env.NANGO_EMULATOR_BIN)
    : path.resolve(here, '..', '..', '..', 'target', 'x86_64-unknown-linux-gnu', 'debug', 'nango-emulator');

export async function startEmulator(args = ['--port', '0']) {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const rl = createInterface({ input: child.stdout });
    const ready = await new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`nango-emulator exited early with ${code}`)));
        rl.once('line', (line) => resolve(JSON.parse(line)));
    });
    child.removeAllListeners('exit');
    const admin = async (method, p, body) => {
        const res = await fetch(ready.url + p, {
            method,
            headers: { Authorization: `Bearer ${ready.secret_key}`, 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const stop = () =>
        new Promise((resolve) => {
            if (child.exitCode !== null) return resolve(child.exitCode);
            child.once('exit', (code) => resolve(code));
            process.kill(child.pid, 'SIGTERM');
        });
    return { ...ready, child, admin, stop };
}
