import { chmodSync, closeSync, ftruncateSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fsx from 'fs-native-extensions';

/** Another live process holds the data dir. */
export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `data dir ${dataDir} in use by PID ${pid ?? '(unknown)'}: stop that drumbeat first, or start this one with another DRUMBEAT_DATA_DIR`,
    );
    this.name = 'DataDirInUse';
  }
}

/** The OS lock on a data dir, held until release() or the process ends (a crash releases it too). */
export interface DataDirLock {
  release(): void;
}

/**
 * Locks `<dataDir>/lock` with an OS advisory lock (held by the open file, so
 * the kernel drops it the moment the process dies, SIGKILL included) and
 * writes this PID into it. A second process on the same dir is refused with
 * the holder's PID; a process started after a crash takes the lock at once.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The store's files, keys and tokens are this user's alone, whatever the umask made of an older dir.
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, 'lock');
  const fd = openSync(file, 'a+', 0o600);
  if (!fsx.tryLock(fd)) {
    closeSync(fd);
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    throw new DataDirInUse(dataDir, Number.isInteger(pid) ? pid : undefined);
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`);
  fsyncSync(fd);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      ftruncateSync(fd, 0);
      fsx.unlock(fd);
      closeSync(fd);
    },
  };
}
