/** Runs the project's operations scripts as a person would, as child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../../helpers/database';

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningScript {
  child: ChildProcess;
  /** Everything written so far. */
  output(): string;
  done: Promise<ScriptResult>;
}

export const startScript = (
  command: string,
  args: string[],
  env: Record<string, string> = {}
): RunningScript => {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<ScriptResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => stdout + stderr, done };
};

export const runScript = (command: string, args: string[], env: Record<string, string> = {}) =>
  startScript(command, args, env).done;

/** Runs a script and fails the test with its output unless it exits 0. */
export const runScriptOk = async (
  command: string,
  args: string[],
  env: Record<string, string> = {}
) => {
  const result = await runScript(command, args, env);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`
    );
  }
  return result;
};
