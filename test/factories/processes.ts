import type { ChildProcess } from 'node:child_process';

/**
 * Waits for a child process to write what `seen` looks for, checked on every chunk it writes (the
 * caller's own listener, added first, has already collected the chunk). Resolves true once seen;
 * false if the child exits first or `timeoutMs` passes.
 */
export function outputSeen(child: ChildProcess, seen: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (result: boolean) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', exited);
      resolve(result);
    };
    const check = () => {
      if (seen()) finish(true);
    };
    const exited = () => finish(seen());
    const timer = setTimeout(() => finish(seen()), timeoutMs);
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', exited);
    if (seen()) finish(true);
    else if (child.exitCode !== null) finish(false);
  });
}
